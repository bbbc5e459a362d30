"""Phone-width layout of the overview: the strategy summary first, then two compact tiles a row.

Streamlit stacks columns one under the other below 640 px, so 27 full tiles with sparklines
filled eight screens. On a phone the tile rows stay two abreast, and a tile keeps its name,
figure, change and status but drops the sparkline and the definition link (the Trend link
stays): a strategy area's indicators fit one screen. Scoped by the element keys the overview
sets (st-key-tilerow_*, st-key-tile_*), so nothing else on any page changes.
"""

from __future__ import annotations

import streamlit as st

PHONE_MAX_PX = 640

CSS = f"""
<style>
@media (max-width: {PHONE_MAX_PX}px) {{
  div[class*="st-key-tilerow_"] > div > [data-testid="stHorizontalBlock"],
  div[class*="st-key-tilerow_"] [data-testid="stHorizontalBlock"] {{
    flex-direction: row !important; flex-wrap: wrap !important; gap: 0.5rem !important;
  }}
  div[class*="st-key-tilerow_"] [data-testid="stColumn"] {{
    width: calc(50% - 0.25rem) !important; min-width: calc(50% - 0.25rem) !important;
    flex: 1 1 calc(50% - 0.25rem) !important;
  }}
  div[class*="st-key-tile_"] {{ padding: 0.5rem !important; gap: 0.25rem !important; }}
  div[class*="st-key-tile_"] [data-testid="stMetricChart"] {{ display: none !important; }}
  div[class*="st-key-tile_"] [data-testid="stMetricValue"] {{ font-size: 1.6rem !important; }}
  div[class*="st-key-tile_"] [data-testid="stCaptionContainer"] {{ display: none !important; }}
  div[class*="st-key-def_"] {{ display: none !important; }}
}}
</style>
"""


def compact_tiles_on_phones() -> None:
    st.html(CSS)
