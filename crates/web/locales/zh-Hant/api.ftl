# The API's documentation page (/api/v1/docs). The descriptions come from the API document and are in English.
api-docs-in-english = 以下說明為英文。
api-docs-document = 供程式讀取的同一份文件（OpenAPI 3.1）：
api-docs-endpoints = 網址
api-docs-parameters = 參數
api-docs-answers = 回應
api-docs-schemas = 回應的內容
api-docs-name = 名稱
api-docs-required = 必須
api-docs-optional = 可省略
api-docs-type = 類型
api-docs-description = 說明
api-docs-status = 狀態碼
api-docs-body = 內容
api-docs-values = 可能的值：
api-docs-request = 請求內容
