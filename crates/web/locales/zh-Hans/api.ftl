# The API's documentation page (/api/v1/docs). The descriptions come from the API document and are in English.
api-docs-in-english = 以下说明为英文。
api-docs-document = 供程序读取的同一份文件（OpenAPI 3.1）：
api-docs-endpoints = 网址
api-docs-parameters = 参数
api-docs-answers = 响应
api-docs-schemas = 响应的内容
api-docs-name = 名称
api-docs-in = 位置
api-docs-type = 类型
api-docs-required = 必填
api-docs-description = 说明
api-docs-status = 状态码
api-docs-body = 内容
api-docs-yes = 是
api-docs-no = 否
api-docs-values = 可能的值：
