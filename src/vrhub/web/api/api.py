from ninja import NinjaAPI

api = NinjaAPI(
    title="vrhub API",
    version="1",
    description="Serious violence measures, areas, definitions, data quality and published figures.",
)
