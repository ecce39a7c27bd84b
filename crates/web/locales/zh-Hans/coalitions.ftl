# Issue 16: organisations campaigning together, partners, consent per partner, where signers came from.

# The campaign page and its sign form
sign-consent-default = 我同意 { $org } 向我发送其工作的消息（可随时撤回）。
partners-heading = 联合发起
partners-lead = 主办

# The manage page
manage-consents-heading = 你同意接收其消息的组织
manage-consent-given = 你已同意 { $org } 向你发送消息。
manage-consent-withdraw = 撤回此同意

# The campaign dashboard
dashboard-sources-heading = 联署人从何而来
dashboard-by-partner = 按伙伴链接划分的已确认联署
dashboard-partner-column = 伙伴
dashboard-no-partner = 并非经伙伴链接
dashboard-by-source = 按来源代码划分的已确认联署
dashboard-source-column = 来源（?src=）
dashboard-no-source = 没有来源代码

# The organisations
organisations-heading = 组织
organisations-intro = 多个组织可联合发起联署：每个组织有自己的成员、自己的密钥，以及在其参与的联署上自己的链接和同意问题。
organisations-none = 你尚未是任何组织的成员。
organisations-create-heading = 新增组织
organisations-create-button = 新增此组织
organisation-name = 名称
organisation-slug = 链接中的简称
organisation-slug-hint = 2 至 40 个 a-z 字母、数字及连字号：即 /c/联署?via=PARTNER 中的 PARTNER。
organisation-type = 类型
organisation-region = 国家或地区
organisation-region-hint = 两个字母的代码，例如 HK 或 GB。
organisation-website = 网站
organisation-error-slug-taken = 已有另一个组织使用此简称。
form-error-org-slug = 请使用 2 至 40 个 a-z 字母、数字及连字号。
form-error-org-name = 请填写组织名称（最多 200 个字符）。
form-error-org-region = 请填写两个字母的国家或地区代码，例如 HK。
form-error-org-website = 请填写以 https:// 或 http:// 开头的网址。
form-error-member-email = 没有使用此电邮地址的发起人账户：请先邀请对方加入本网站。
form-error-member-role = 请选择管理员或成员。
org-role-admin = 管理员
org-role-member = 成员
organisation-back = 返回组织页面
organisation-campaigns-heading = 参与的联署
organisation-no-campaigns = 尚未有联署将此组织列为伙伴。
organisation-link = 专属链接：
organisation-count-total = 已确认联署总数
organisation-count-via = 经其链接
organisation-count-consenting = 同意接收其消息
organisation-export = 导出同意的联署人（以其密钥加密）
organisation-export-no-key-heading = 没有密钥，无法导出
organisation-export-no-key = 导出文件以组织自己的 age 密钥加密，但此组织尚未设定密钥：请组织管理员在下方设定。
organisation-webhooks-heading = 专属 Webhook
organisation-webhooks-intro = 此处的端点只会收到同意此组织的联署人的事件：确认、撤回联署及撤回同意，并附姓名和电邮地址。
organisation-webhook-add = 新增端点
organisation-webhook-delete = 删除
organisation-details-heading = 基本资料
organisation-details-intro = 其名称、类型、国家或地区及网站，即其合作活动页面所显示的资料。其简称 { $slug } 不变：合作伙伴的链接带有它。
organisation-details-save = 保存资料
organisation-key-heading = 密钥
organisation-key-intro = 导出文件所用的 age 公开密钥（age1…）。只有持有私密密钥的人才能开启；服务器从不接触私密密钥。
organisation-key = 公开密钥
organisation-key-hint = 以 age1 开头的一行，即 age-keygen 显示的内容。留空即移除密钥。
organisation-key-save = 保存密钥
organisation-logo-heading = 标志
organisation-logo-intro = 显示在其参与的每个联署页面上的组织名称旁，以及本页。图片会缩小，保存之前除像素以外的一切都会被删除：拍摄地点和时间、相机，以及文件中的所有其他信息。
organisation-logo-file = 标志
organisation-logo-hint = JPEG、PNG 或 WebP 图片，最大 { $megabytes } MB。新上传的会取代旧的。
organisation-logo-upload = 上传标志
organisation-logo-remove = 移除标志
organisation-members-heading = 成员
organisation-member-add-heading = 新增成员
organisation-member-add-intro = 成员可查看数字及导出同意的联署人；管理员亦可管理成员、密钥及 Webhook。
organisation-member-add = 新增

# A campaign's partners
organise-tab-partners = 伙伴
partners-intro = 选择联合发起此联署的组织，其中一个可作主办。每个伙伴有自己的链接；如你允许，经其链接而来的联署人（主办则是所有联署人）会被问及是否同意接收其消息。
partners-none = 尚未有伙伴。
partners-lead-label = 主办组织（排列首位；每位联署人都会被问及其问题）
partners-consent-label = 询问联署人是否同意接收其消息
partners-consent-text = { $lang } 版本的问题
partners-consent-text-hint = 留空即使用默认文字：“我同意 … 向我发送其工作的消息”。
partners-save = 保存
partners-remove = 移除
partners-add-heading = 新增伙伴
partners-organisation = 组织
partners-add = 新增伙伴
partners-error-organisation = 请选择本网站的其中一个组织。
partners-error-text = 同意问题为一行文字，最多 300 个字符。
