"""GraphQL of disclosures (村务公开): the types, the root queries and the mutations."""
