## 登录及密码。

login-heading = 发起人登录
login-email = 电子邮件地址
login-password = 密码
login-button = 登录
login-forgot-link = 忘记密码？
login-error-wrong = 此电子邮件地址和密码与任何账户都不匹配。请检查两者后再试一次。
login-error-rate-limit = 此账户或你的网络连接尝试登录的次数过多。请一小时后再试，或者重置密码。
login-error-busy = 此刻登录的人太多。请等几秒后再试。
forgot-heading = 重置密码
forgot-intro = 请输入账户的电子邮件地址，我们会发送设置新密码的链接。
forgot-button = 发送链接
forgot-sent-heading = 请查收电子邮件
forgot-sent-text = 如果有账户使用此地址，设置新密码的链接已经发出。
password-link-expired-text = 此设置密码的链接已经过期。请重新申请。
password-heading = 设置密码
# $account：账户的电子邮件地址。
password-intro = 账户：{ $account }
# $min：密码的最少字符数。
password-new = 新密码（至少 { $min } 个字符）
password-again = 再次输入密码
password-button = 设置密码并登录
form-error-password = 密码至少需要 10 个字符。
form-error-password-again = 两次输入的密码不一致。
error-403-title = 无权访问
error-403-text = 你的账户没有此页面所需的角色。请联系该联署的负责人或管理员。

## 发起人页面。

organise-heading = 管理联署
# $name：发起人的名字。
organise-signed-in = 已登录：{ $name }
organise-logout = 退出登录
organise-none = 你目前未在任何联署中担任角色。联署的负责人或管理员可以为你分配角色。
organise-back = 返回你的联署
organise-invite-link = 邀请发起人
organise-audit-link = 操作记录
organise-tabs-label = 本联署的管理页面
organise-tab-dashboard = 概览
organise-tab-moderation = 审核
organise-tab-offline = 线下联署
organise-tab-team = 团队
organise-view-public = 公开页面
role-owner = 负责人
role-editor = 编辑
role-moderator = 审核员
role-owner-hint = 所有权限，包括团队、联署状态和开始、结束联署的日期，以及含电子邮件地址的导出数据
role-editor-hint = 联署的文字和设置（日期除外）、不含电子邮件地址的导出数据，以及审核
role-moderator-hint = 审核，以及处理线下收集的联署

## 概览。

# $count：联系人已确认、等待批准的团体联署数。
dashboard-awaiting = { $count } 个联署团体等待批准
# $count：联系人尚未通过电子邮件确认的团体联署数。
dashboard-unverified = { $count } 个联署团体等待联系人确认
dashboard-export-heading = 递交联署
dashboard-export = 下载签名及团体联署（CSV）
dashboard-export-excel = 下载适用于 Excel 的版本（CSV）
dashboard-export-emails = 下载包含电子邮件地址的数据（CSV）
dashboard-export-note = 每次下载都会记录在操作记录中。

## 审核。

moderation-endorsements-heading = 等待批准的团体联署
moderation-empty = 目前没有待处理的项目。
moderation-contact = 联系人：
moderation-contact-sealed = （姓名已用发起人的密钥加密：本站无法读取）
moderation-reason = 理由（会记录在操作记录中）
moderation-approve = 批准
moderation-reject = 拒绝

## 线下收集的联署。

offline-intro = 通过电子邮件或纸质表格收到的联署：添加后会立即列出并计入总数，并标注为“线下收集”。
offline-kind-legend = 收到的联署来自
offline-kind-organisation = 一个团体
offline-kind-individuals = 若干位个人（不公开姓名）
offline-organisation-hint = 适用于团体。
offline-individuals = 个人人数
offline-individuals-hint = 适用于不公开姓名的个人（“15 位个人”）。
offline-source = 联署来源
offline-source-hint = 例如“3月3日通过电子邮件收到”或“五一集会的纸质表格”。
offline-button = 添加联署
# $what：团体名称，或“15 位个人”。
offline-added = 已添加：{ $what }。
form-error-individuals = 请填写个人人数，须为大于 0 的整数。
form-error-source = 请说明联署的来源（最多 500 个字）。

## 团队及邀请。

team-name = 姓名
team-role = 角色
team-empty = 目前还没有人在本联署中担任角色。
team-invite-heading = 分配角色
team-invite-intro = 除非对方已有账户，否则我们会发邮件给对方，附上设置密码的链接。
team-invite-button = 分配角色
form-error-role = 请选择角色。
invite-heading = 邀请发起人
invite-intro = 我们会发邮件给对方，附上设置密码的链接。请在各个联署的“团队”页面为对方分配角色。
invite-admin = 管理员：可查看所有联署，并可进行任何操作
invite-button = 发送邀请
invite-sent-heading = 邀请已发送
invite-sent-text = 邀请已经发出，其中附有设置密码的链接。

## 操作记录。

audit-heading = 操作记录
audit-when = 时间
audit-who = 操作者
audit-action = 操作
audit-subject = 对象
audit-detail = 详情
audit-empty = 目前还没有任何记录。

## 发给发起人的邮件。

# $site：网站名称。
mail-invitation-subject = 邀请你在 { $site } 组织联署
mail-invitation-intro = 你已受邀在 { $site } 组织联署。
mail-invitation-action = 如接受邀请，请打开以下链接并设置密码：
mail-invitation-not-you = 如果你不知道为何收到此邮件，请忽略它：未经你设置密码，任何账户都无法使用。
mail-password-reset-subject = 重置你在 { $site } 的密码
mail-password-reset-intro = 有人（希望是你本人）申请重置你在 { $site } 的账户密码。
mail-password-reset-action = 如要设置新密码，请打开以下链接：
mail-password-reset-not-you = 如果你没有提出此申请，请忽略此邮件：你的密码将保持不变。
mail-set-password-button = 设置我的密码

## 审核签名。

# $count：被标记的签名数目。
dashboard-flagged = { $count } 个签名被标记
moderation-flagged-heading = 已标记：同一连接的大量签名
# $count：同一连接达到多少个签名便会被标记。
moderation-flagged-rule = 同一网络连接在同一天（UTC）提交 { $count } 个或以上的签名时，这些签名会被标记。IP 地址只以当天密钥算出的哈希值形式保存几天。
# $count：签名数目；$hash：连接哈希值的开头。
moderation-flagged-group = 来自连接 { $hash } 的 { $count } 个签名
moderation-no-flagged = 没有被标记的连接。
moderation-flagged-preview = 预览作废这些签名
moderation-signatures-heading = 最新签名
moderation-bulk-link = 按条件作废签名…
moderation-status = 状态
signature-status-pending = 等待确认
signature-status-confirmed = 已确认
moderation-invalidate = 作废
# $id：签名编号。
moderation-invalidate-one = 作废 #{ $id }
moderation-invalidations-heading = 作废记录
# $count：签名数目；$conditions：符合的条件；$actor：操作者；$date：时间。
moderation-invalidation = { $count } 个签名（{ $conditions }），由 { $actor } 于 { $date } 作废。
# $date：撤销作废的时间。
moderation-restored = 已于 { $date } 恢复。
moderation-restore = 恢复这些签名
moderation-no-invalidations = 没有签名被作废。
invalidate-heading = 作废签名
invalidate-intro = 被作废的签名不计入数目，也不会列出。不会删除任何数据：作废可以撤销，每次作废都有记录。
invalidate-domain = 电子邮件域名
invalidate-domain-hint = 电子邮件地址 @ 之后的部分，例如 example.org。
invalidate-any = 任何
invalidate-from = 签名日期从
invalidate-until = 签名日期至
invalidate-ip = 连接（IP 哈希值）
invalidate-ip-hint = 取自已标记连接的列表。
invalidate-signature = 签名编号
invalidate-preview = 计算符合条件的签名
# $count：符合条件的签名数目。
invalidate-matching = { $count } 个签名符合条件
invalidate-button = 作废这 { $count } 个签名
form-error-email-domain = 请填写域名，例如 example.org。
form-error-from = 请填写日期，例如 2026-11-24。
form-error-until = 请填写日期，例如 2026-11-24。
form-error-ip = 请填写连接哈希值的 32 个字符。
form-error-signature = 请填写签名编号。
form-error-conditions = 请至少填写一个条件。

## 导入联署表格。

import-link = 导入纸质收集的联署表格（CSV）…
import-heading = 从 CSV 文件导入联署
import-intro = 每行一项联署，第一行列出各栏名称。type 栏填 organisation（团体）或 individuals（个人）；团体须填名称，个人须填人数；source 栏注明来源。所有行都正确才会导入，并且一次全部导入。
import-columns = 栏位：
import-file = CSV 文件（UTF-8，最大 2 MB）
import-check-button = 检查文件
import-errors-heading = 没有导入任何数据：文件有错误。请改正后再上传。
import-error-row = 行
import-error-column = 栏
import-error-reason = 需要修改
# $count：准备导入的行数。
import-preview-heading = { $count } 项联署准备导入
import-button = 导入这 { $count } 项联署
import-done = 已导入 { $count } 项联署，已列出并计算在内，标示为线下收集。
csv-error-type = type 栏须为 organisation 或 individuals。
csv-error-column = 这一栏不在列出的栏位之中，或这一行无法读取。
csv-error-missing-column = 缺少这一栏。
csv-error-too-many = 文件超过 10,000 行，请拆分。
csv-error-empty = 文件中没有任何联署。
csv-error-encoding = 无法以 UTF-8 CSV 读取文件：请另存为“CSV UTF-8”后再试。

## A named person collected offline.

offline-kind-person = 一位具名人士
offline-person = 姓名
offline-person-hint = 适用于个人。
form-error-person = 请填写姓名：1 至 200 个字，不含看不见的字符。

# Taking access away
organise-people-link = 用户
people-heading = 用户
people-intro = 所有组织者的账户。已停用的账户无法登录，其登录状态也会结束；“在所有设备登出”会结束某人在每台设备上的登录状态。
people-state = 状态
people-actions = 操作
people-state-admin = 管理员
people-state-organiser = 组织者
people-state-disabled = 已停用
people-admin = 设为管理员
people-demote = 取消管理员权限
people-disable = 停用
people-enable = 重新启用
people-log-out = 在所有设备登出
people-error-last-admin = 这是最后一位可以登录的管理员：请先把另一人设为管理员。
team-remove = 从团队移除
team-error-last-owner = 这是这个联署活动的最后一位负责人：请先把负责人角色交给另一人。
login-error-disabled = 这个账户已被停用。如仍需要，请联系本网站的管理员。
edit-error-dates-owner = 只有联署活动的负责人才可以更改开始和结束联署的日期，所以什么都没有保存。请把日期改回原样，再保存你的其他修改。
invite-existing-heading = 这个地址已经有账户
invite-existing-admin-text = 这个账户现在是管理员。不需要发出邀请。
invite-existing-text = 什么都没有改变。如要给他们某个联署活动的角色，请使用该活动的团队页面。
dashboard-export-sealed = 上面的下载文件以本活动拥有者的密钥加密（.csv.age 文件）：只有拥有者的私钥能打开。用 age 命令（Debian 的“age”软件包）：
dashboard-export-sealed-browser = 或者在这个浏览器中打开，用本站的一个页面，它绝不会把你的密钥或文件发送到任何地方：
dashboard-export-open-link = 打开加密的导出文件
dashboard-export-no-key = 本活动的拥有者还没有自己的密钥，所以这些下载是普通的 CSV 文件，任何拿到它们的人都能读取。拥有者登记密钥后，此后的下载都会以它加密。
dashboard-export-keys-link = 登记密钥
