"""The workbench (村会计工作台): server-rendered pages for accountants and auditors, served by the
same app as GraphQL (api/app.py). Pages go through the same GraphQL schema as the platform, in
process, with the signed-in user's principal: one place for every rule, scope and refusal."""
