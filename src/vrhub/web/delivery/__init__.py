"""Delivery: logic model, interventions, funding rounds with gates, action tracker, voice and learning."""
