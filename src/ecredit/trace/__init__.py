"""Product traceability (C10): products, batches, EPCIS-style trace events, trace and recall."""
