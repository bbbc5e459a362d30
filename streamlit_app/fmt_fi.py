"""Finnish (suomi) labels for the dashboard, merged into fmt.py's tables by `merge`.

Kept in a module of their own so the Swedish and English tables stay readable; a key missing
here falls back to Swedish (Österbotten is bilingual, and Swedish is the default language
there). Numbers in Finnish are written like Swedish ones: a space between thousands, a
decimal comma; euro amounts end in ' €'.
"""

from __future__ import annotations

TEXT_FI: dict[str, str] = {
    "app_title": "HR-tunnusluvut",
    "page_overview": "Yleiskuva",
    "page_kpi": "Tunnusluku",
    "page_statutory": "Sairauspoissaolot tilinpäätöksessä (Ruotsi)",
    "page_definitions": "Määritelmät",
    "page_personnel_report": "Henkilöstöraportti",
    "page_status": "Tietojen tila",
    "language": "Kieli",
    "org_unit": "Organisaatio",
    "level_2": "Toimiala",
    "level_3": "Palvelualue",
    "level_4": "Yksikkö",
    "all": "Kaikki",
    "period": "Kuukausi",
    "window": "Jakso",
    "window_month": "Kuukausi",
    "window_rolling_12m": "Liukuva 12 kk",
    "window_year": "Vuoden alusta",
    "no_data_title": "Julkaistuja tunnuslukuja ei vielä ole",
    "no_data_body": "Julkaistu tietokanta puuttuu: `{path}`.\n\n"
                    "Aja päivitys, jotta kuukauden aineistot luetaan, testataan ja julkaistaan: "
                    "`make demo` (esimerkkiaineisto) tai `make refresh` (oikeat aineistot vastaanottokansiossa), "
                    "tai käynnistä Dagsterissa työ *refresh*. Lataa sitten sivu uudelleen.",
    "unreadable_title": "Julkaistua tietokantaa ei voitu lukea",
    "unreadable_body": "Tiedostosta `{path}` puuttuu taulu {table}. Aja päivitys uudelleen (`make refresh`) "
                       "ja lataa sivu uudelleen. Tekninen virhe: {error}",
    "target": "Tavoite",
    "no_target": "ei tavoitetta",
    "status": "Tila",
    "status_green": "Vihreä",
    "status_amber": "Keltainen",
    "status_red": "Punainen",
    "status_none": "Ei tilaa",
    "vs_last_year": "vrt. {month}",
    "change_last_year": "Muutos edellisen vuoden samasta kuukaudesta",
    "no_value": "Ei tietoa",
    "suppressed_persons": "Piilotettu – alle {n} henkilöä, jottei yksittäistä henkilöä voi tunnistaa.",
    "suppressed_respondents": "Piilotettu – alle {n} kyselyn vastaajaa, vastaajien suojaamiseksi.",
    "window_fallback": "Julkaistaan vain jaksolta {window}.",
    "window_of_target": "Näytetään jaksolta {window}: tavoite on asetettu sille.",
    "target_other_window": "Tavoite ({target}) koskee jaksoa {window} ja sitä verrataan vain siihen: "
                           "valitse {window} nähdäksesi tilan.",
    "definition": "Määritelmä",
    "trend": "Kehitys",
    "overview_caption": "{org} · {window} · {month}. Väri: vihreä = tavoite saavutettu, keltainen = lähellä "
                        "tavoitetta (enintään {tol} % tavoitteesta), punainen = tavoitetta ei saavutettu.",
    "area_other": "Muut tunnusluvut",
    "kpi": "Tunnusluku",
    "value": "Arvo",
    "numerator": "Osoittaja",
    "denominator": "Nimittäjä",
    "population_n": "Henkilöitä",
    "trend_title": "Kehitys ajan mittaan",
    "band_note": "Taustaväri näyttää tilan rajat: vihreä = tavoite saavutettu, keltainen = enintään {tol} % "
                 "tavoitteesta, punainen = kauempana.",
    "suppressed_months": "{n} kuukautta on piilotettu (liian vähän henkilöitä) ja näkyy aukkoina.",
    "breakdown": "Jaottelu",
    "breakdown_none": "Tunnuslukua ei julkaista jaoteltuna.",
    "ranking": "Yksiköt: {org}",
    "ranking_caption": "Mitkä alayksiköt vaikuttavat lukuun: järjestetty huonoimmasta parhaaseen tavoitteen "
                       "suunnan mukaan. Osuus osoittajasta = yksikön osuus koko yksikön {org} osoittajasta.",
    "ranking_none": "Yksiköllä {org} ei ole alayksiköitä.",
    "unit": "Yksikkö",
    "share_of_numerator": "Osuus osoittajasta",
    "series_table": "Arvot kuukausittain",
    "export_csv": "Lataa CSV",
    "export_xlsx": "Lataa Excel",
    "statutory_intro": "Sairauspoissaolot Ruotsin kuntien tilinpäätöslain mukaan (SKR:n määritelmä): "
                       "sairauspoissaolotunnit prosentteina säännöllisestä työajasta. Enintään 10 työntekijän "
                       "ryhmiä ei raportoida. Koskee aina koko organisaatiota valitusta yksiköstä riippumatta.",
    "year": "Vuosi",
    "year_to": "{month} asti",
    "measure": "Mittari",
    "value_pct": "Sairauspoissaolot",
    "sick_hours": "Sairauspoissaolotunnit",
    "ordinary_hours": "Säännöllinen työaika (h)",
    "copy_hint": "Taulukko tekstinä kopioitavaksi (painike oikeassa yläkulmassa), sarkaimin eroteltuna "
                 "Wordiin ja Exceliin:",
    "no_statutory": "Tilinpäätöksen taulukkoa ei ole julkaistussa tietokannassa.",
    "formula": "Laskenta",
    "source": "Lähde",
    "unit_label": "Yksikkö",
    "direction": "Suunta",
    "target_organisation": "Koko organisaation tavoite",
    "target_for_window": "koskee jaksoa {window}",
    "direction_max": "Pienempi on parempi (tavoite on yläraja)",
    "direction_min": "Suurempi on parempi (tavoite on alaraja)",
    "direction_none": "Ei suuntaa (kuvaileva)",
    "strategy_area": "Strategian osa-alue",
    "breakdowns": "Jaottelut",
    "kpi_id": "Tunnus tietokannassa",
    "published": "Viimeksi julkaistu",
    "no_publish_log": "Julkaisuloki puuttuu.",
    "run_id": "Ajo",
    "tests_summary": "Tietotestit",
    "tests_passed": "{n} hyväksytty",
    "tests_warned": "{n} varoituksella",
    "tests_failed": "{n} virhettä",
    "coverage": "Kuukaudet aineistoittain",
    "extract": "Aineisto",
    "first_month": "Ensimmäinen kuukausi",
    "last_month": "Viimeisin kuukausi",
    "months": "Kuukausia",
    "files": "Tiedostot",
    "rows_read": "Luetut rivit",
    "rows_loaded": "Ladatut rivit",
    "rows_quarantined": "Karanteenin rivit",
    "quarantine": "Karanteeni: hylätyt rivit",
    "quarantine_caption": "Aineiston sopimusta rikkoneet rivit tallennetaan tiedoston, rivin, sarakkeen ja "
                          "säännön kanssa; ne eivät ole mukana tunnusluvuissa.",
    "quarantine_none": "Ei rivejä karanteenissa.",
    "load_log": "Latausloki",
    "source_file": "Tiedosto",
    "line": "Rivi",
    "column": "Sarake",
    "reason": "Syy",
    "load_status": "Tila",
    "finished_at": "Valmis",
    "no_kpis": "Ei tunnuslukuja: {org}, {month}.",
    "select_kpi": "Valitse tunnusluku",
    "refreshed": "Tiedot julkaistu {when}",
    "breakdown_total": "Yhteensä",
    "breakdown_gender": "Sukupuoli",
    "breakdown_age_group": "Ikäryhmä",
    "breakdown_employment_type": "Palvelussuhteen laji",
    "breakdown_profession_group": "Ammattiryhmä",
    "breakdown_reason": "Päättymisen syy",
    # The labels of streamlit_app/labels.py (strategy summary, survey waves, exports, board
    # pack) and of the data status page's incomplete months.
    "incomplete_month": "{month} ei ole täydellinen eikä näy luvuissa: puuttuu {missing}",
    "better_than": "parempi kuin {month}",
    "worse_than": "huonompi kuin {month}",
    "named_mark": "Strategia",
    "strategy_standing": "Strategian tilanne",
    "count_green": "{n} vihreää",
    "one_green": "1 vihreä",
    "count_amber": "{n} keltaista",
    "one_amber": "1 keltainen",
    "count_red": "{n} punaista",
    "one_red": "1 punainen",
    "count_without": "{n} ilman arvoa",
    "targets_met": "{n}/{of} tavoitteesta saavutettu",
    "no_targets_in_area": "Ei tavoitteita",
    "other_kpis": "Muut tunnusluvut",
    "other_kpis_caption": "Tunnusluvut, joilla strategiaa ei ohjata, mutta jotka selittävät sen mittareita.",
    "named_long": "HR-strategian mittari",
    "shown_as": "Näytä",
    "all_months": "kaikki kuukaudet",
    "status_green_words": "tavoite saavutettu",
    "status_amber_words": "lähellä tavoitetta",
    "status_red_words": "tavoitetta ei saavutettu",
    "suppressed_word": "piilotettu",
    "respondents": "Vastaajat",
    "response_rate": "Vastausprosentti",
    "survey": "Kysely",
    "latest_survey": "Viimeisin kysely",
    "no_survey": "Kyselyä ei ole tehty {month} mennessä.",
    "waves_title": "Kysely kerrallaan",
    "waves_caption": "Yksi piste kyselyä kohden: indeksi mitataan kyselyn aikaan ja on voimassa seuraavaan kyselyyn asti. Vie osoitin pisteen päälle nähdäksesi vastaajat ja vastausprosentin.",
    "share_of_named": "Osuus: {what}",
    "ranking_caption_named": "Mitkä alayksiköt selittävät lukua: järjestetty huonoimmasta parhaaseen tavoitteen suunnassa. Osuus = yksikön osuus koko organisaation {org} luvusta {what}.",
    "ranking_caption_survey": "Alayksiköt viimeisimmässä kyselyssä huonoimmasta parhaaseen.",
    "publish_id": "Julkaisu nro",
    "times_in_zone": "Ajat organisaation aikavyöhykkeellä ({zone}).",
    "message": "Viesti",
    "load_loaded": "Ladattu",
    "load_replaced": "Korvattu",
    "load_skipped": "Muuttumaton, ohitettu",
    "load_rejected": "Hylätty",
    "load_failed": "Epäonnistui",
    "publish_no": "julkaisu {n}",
    "yes": "Kyllä",
    "part_year": "{year} ({span}: {n}/12 kk)",
    "part_years": "Vajaat vuodet: {years}. Luvut koskevat vain mainittuja kuukausia, eikä niitä saa raportoida koko vuoden lukuina.",
    "part_year_short": "Vajaat vuodet",
    "years": "kaikki vuodet",
    "window_calendar_year": "Kalenterivuosi",
    "board_pack": "Hallituksen raportti (PDF)",
    "board_pack_title": "HR-tunnusluvut – hallituksen raportti",
    "trends_named": "Strategian mittarit ajan mittaan",
    "definitions_named": "Määritelmät",
    "page_of": "sivu {n}/{of}",
    "tiles_table": "Tunnusluvut",
    "change_short": "Vs. viime vuosi",
    "page_supply": "Eläköityminen",
    "supply_intro": "Kuinka moni kuukauden {month} henkilöstöstä saavuttaa eläkeiän kunakin seuraavista "
                    "kymmenestä vuodesta, lukumääränä ja osuutena nykyisestä henkilöstöstä. Eläkeikä: {age}.",
    "supply_age_years": "{age} v",
    "supply_age_range": "{lo}–{hi} v syntymävuoden mukaan",
    "supply_total": "Kaikki ammattiryhmät",
    "supply_by_group": "Ammattiryhmittäin",
    "supply_group": "Ammattiryhmä",
    "supply_staff": "Henkilöstö {month}",
    "supply_reaching": "Saavuttaa eläkeiän",
    "supply_share": "Osuus nykyisestä henkilöstöstä",
    "supply_count": "Lukumäärä",
    "supply_next_years": "Seuraavat kymmenen vuotta",
    "supply_shows": "Näyttää",
    "supply_year_zero": "{year} tai aiemmin",
    "supply_cell_hint": "Kukin solu: ryhmän henkilöstöstä eläkeiän kyseisenä vuonna saavuttavien määrä. "
                        "{year} tai aiemmin: saavuttaa sen tänä vuonna tai on jo saavuttanut.",
    "supply_cell_hint_share": "Kukin solu: eläkeiän kyseisenä vuonna saavuttavat prosentteina ryhmän nykyisestä "
                              "henkilöstöstä. {year} tai aiemmin: saavuttaa sen tänä vuonna tai on jo saavuttanut.",
    "supply_latest_month": "Ennuste lähtee aina viimeisimmästä luetusta kuukaudesta ({month}).",
    "supply_neighbours": "Myös joitakin rajan ylittäviä lukuja on piilotettu, jottei piilotettua ryhmää voi "
                         "laskea summasta tai ylemmästä yksiköstä.",
    "supply_none": "Ennustetta ei ole julkaistu: {org}.",
    "supply_source": "Eläkeikä ja lähde",
    "supply_birth_years": "Syntymävuodet",
    "supply_age": "Eläkeikä",
    "supply_basis": "Peruste",
    "reference_outcome": "Koko maa, {org}: {value} ({year})",
    "reference_goal": "Valtakunnallinen tavoite, {org}: {value}",
    "reference_note": "Vertailuviiva – {label}. Lähde: [{title}]({url}).",
    "reference_title": "Valtakunnallinen vertailu",
    "org_type_region": "alueet",
    "org_type_municipality": "kunnat",
    "org_type_wellbeing_county": "hyvinvointialueet",
}

BREAKDOWN_VALUES_FI: dict[str, str] = {
    "total": "Yhteensä", "K": "Naiset", "M": "Miehet",
    "<=29": "29 v ja nuoremmat", "30-49": "30–49 v", ">=50": "50 v ja vanhemmat",
    "permanent": "Vakinainen", "fixed_term": "Määräaikainen", "hourly": "Tuntipalkkainen",
    "own_request": "Oma pyyntö", "retirement": "Eläke", "other": "Muu",
}

STATUTORY_FI: dict[str, str] = {
    "total": "Sairauspoissaolot yhteensä, % säännöllisestä työajasta",
    "long": "josta 60 päivää tai pidemmät, % kaikista sairauspoissaoloista",
    "K": "Naiset", "M": "Miehet",
    "<=29": "29 v ja nuoremmat", "30-49": "30–49 v", ">=50": "50 v ja vanhemmat",
}

MONTHS_FI = ["tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras", "joulu"]
MONTHS_LONG_FI = ["tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu", "elokuu",
                  "syyskuu", "lokakuu", "marraskuu", "joulukuu"]

STRATEGY_AREAS_FI: dict[str, str] = {
    "Kompetens och utveckling": "Osaaminen ja kehittyminen",
    "Coachande och inkluderande ledarskap": "Valmentava ja osallistava johtaminen",
    "Sunt och tryggt arbete": "Terveellinen ja turvallinen työ",
    "Delaktighet och lagspel": "Osallisuus ja yhteistyö",
    "Lön och villkor": "Palkka ja palvelussuhteen ehdot",
}

EXTRACT_TITLES_FI: dict[str, str] = {
    "employees": "Henkilöstörekisteri", "payroll": "Palkkatapahtumat", "absence": "Poissaolot",
    "employment_events": "Palvelussuhteiden alkamiset ja päättymiset", "incidents": "Työtapaturmat ja vaaratilanteet",
    "agency_costs": "Vuokratyövoima", "survey": "Työhyvinvointikysely", "org_units": "Organisaatio",
}

UNIT_NAMES_FI: dict[str, str] = {
    "percent": "prosenttia", "sek": "kruunua", "eur": "euroa", "count": "lukumäärä",
    "fte": "kokoaikaiseksi muutettuna", "person_years": "henkilötyövuotta", "days": "päivää",
    "index": "indeksi 0–100", "hours": "tuntia", "ratio": "suhde", "rate": "miljoonaa tehtyä työtuntia kohden",
}

UNIT_SUFFIX_FI: dict[str, str] = {
    "percent": "\u00a0%", "sek": "\u00a0kr", "eur": "\u00a0€", "hours": "\u00a0h", "days": "\u00a0pv",
    "person_years": "\u00a0htv", "fte": "", "count": "", "index": "", "ratio": "", "rate": "", "": "",
}

SUPPRESSED_SHORT_FI = "Piilotettu"
PERCENTAGE_POINTS_FI = "\u00a0%-yks."


def merge(text: dict, breakdown_values: dict, statutory: dict, months: dict, suppressed: dict,
          unit_names: dict, unit_suffix: dict) -> None:
    """Add the Finnish entries to fmt.py's tables (each keyed by language)."""
    for key, value in TEXT_FI.items():
        if isinstance(text.get(key), dict):
            text[key]["fi"] = value
    for key, value in BREAKDOWN_VALUES_FI.items():
        breakdown_values[key]["fi"] = value
    for key, value in STATUTORY_FI.items():
        statutory[key]["fi"] = value
    months["fi"] = MONTHS_LONG_FI  # "joulukuu 2025": the short stems do not stand alone
    suppressed["fi"] = SUPPRESSED_SHORT_FI
    for kind, value in UNIT_NAMES_FI.items():
        unit_names.setdefault(kind, {})["fi"] = value
    unit_suffix["fi"] = dict(UNIT_SUFFIX_FI)
