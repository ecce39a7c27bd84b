# The API's documentation page (/api/v1/docs). The descriptions come from the API document and are in English.
api-docs-in-english = 以下说明为英文。
api-docs-document = 供程序读取的同一份文件（OpenAPI 3.1）：
api-docs-endpoints = 网址
api-docs-parameters = 参数
api-docs-answers = 响应
api-docs-schemas = 响应的内容
api-docs-name = 名称
api-docs-required = 必须
api-docs-optional = 可省略
api-docs-type = 类型
api-docs-description = 说明
api-docs-status = 状态码
api-docs-body = 内容
api-docs-values = 可能的值：
api-docs-request = 请求内容
