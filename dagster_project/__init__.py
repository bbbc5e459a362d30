"""Workforce KPI warehouse: Dagster definitions, extract contracts and loaders."""
