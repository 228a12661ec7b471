"""The change feed: GraphQL subscriptions over WebSocket (graphql-transport-ws) to the events
recorded, by kind and place, resumable from a position (docs/api.md "Change feed")."""
