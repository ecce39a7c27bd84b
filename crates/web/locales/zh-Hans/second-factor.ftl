# 发起人的双重认证（issue 18）：验证器应用的代码、备用代码。

second-factor-link = 双重认证
second-factor-heading = 双重认证
second-factor-back = 返回你的账户
second-factor-intro = 开启双重认证后，登录需要你的密码，以及手机上验证器应用（例如 Aegis、FreeOTP 或 Google Authenticator）显示的六位数字代码。即使密码被猜中或被盗，联署人的资料仍受保护。
second-factor-step-scan = 用你的验证器应用扫描这个二维码。
second-factor-step-type = 或在应用中输入这个密钥：
second-factor-step-code = 输入应用现在显示的六位数字代码。
second-factor-qr-label = 把这个账户加入验证器应用的二维码
second-factor-enrol-code = 应用显示的代码
second-factor-on-button = 开启双重认证
second-factor-required = 本网站要求所有可查看联署人个人资料的人开启双重认证。请先开启，才能继续。
second-factor-on = 你的账户已开启双重认证。
# $count：尚未使用的备用代码数目。
second-factor-codes-left = { $count ->
    [0] 你已没有备用代码：请生成新的。
   *[other] 你还有 { $count } 个备用代码。
}
second-factor-renew-heading = 新的备用代码
second-factor-renew-button = 生成十个新的备用代码
second-factor-off-heading = 关闭
second-factor-off-button = 关闭双重认证
second-factor-code = 代码
second-factor-code-hint = 验证器应用显示的六位数字代码，或你的其中一个备用代码。
second-factor-code-intro = 打开你的验证器应用，输入它为本网站显示的代码。
second-factor-code-button = 继续
login-code-heading = 双重认证
second-factor-confirm-heading = 确认是你本人
second-factor-error-code = 代码不正确。请输入应用现在显示的代码，或一个备用代码。
second-factor-error-replayed = 这个代码已经用过。请等应用显示下一个。
# $minutes：多少分钟后可再输入代码；$time：何时（时和分，UTC）。
second-factor-locked = 错误代码太多。这个账户的双重认证已锁定 { $minutes } 分钟：请在 { $time } 之后再试。
recovery-codes-heading = 你的备用代码
recovery-codes-intro = 如果你丢失手机，每个代码可代替应用的代码登录一次。请妥善保存：它们只会显示这一次。
recovery-codes-done = 我已保存
site-settings-second-factor = 要求所有可查看个人资料的人使用双重认证
site-settings-second-factor-hint = 未开启双重认证的管理员和活动拥有人（可导出联署人电邮地址）须先开启，才能使用发起人页面。
