# The API's documentation page (/api/v1/docs). The descriptions come from the API document and are in English.
api-docs-in-english = The descriptions below are in English.
api-docs-document = The same document for machines (OpenAPI 3.1):
api-docs-endpoints = Addresses
api-docs-parameters = Parameters
api-docs-answers = Answers
api-docs-schemas = What the answers hold
api-docs-name = Name
api-docs-required = required
api-docs-optional = optional
api-docs-type = Type
api-docs-description = Description
api-docs-status = Status
api-docs-body = Body
api-docs-values = One of:
api-docs-request = Request body
