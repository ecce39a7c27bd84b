## 网站框架：页首、页尾、语言菜单。

# 语言以自身文字写出的名称，显示在语言菜单中。
language-name = 简体中文
site-name = Undersigned 联署
skip-to-content = 跳到主要内容
language-switcher-label = 语言
footer-privacy = 本网站不会从其他网站加载任何内容，也不会存储你的 IP 地址：只会保存其哈希值几天以防止滥用，之后连同算出它的密钥一并删除。电子邮件地址一律不会公开。

## 日期。$day、$year 是数字；$month 是下面的月份名称。

# 大数目中每三位数字之间的分隔符（1,234,567）。
number-group-separator = ,
date-long = { $year }年{ $month }{ $day }日
month-1 = 1月
month-2 = 2月
month-3 = 3月
month-4 = 4月
month-5 = 5月
month-6 = 6月
month-7 = 7月
month-8 = 8月
month-9 = 9月
month-10 = 10月
month-11 = 11月
month-12 = 12月

## 首页。

home-heading = 联署活动
home-empty = 目前还没有联署活动。

## 错误页面。

error-home-link = 返回联署活动列表
error-400-title = 无法理解这个请求
error-400-text = 请求中有些内容不符合预期。请返回上一页，检查你填写的内容后再试一次。
error-404-title = 找不到页面
error-404-text = 这个网址没有任何页面。页面可能已经迁移，或者该联署活动已经下架。
error-405-title = 这里无法进行这项操作
error-405-text = 这个网址不接受这类请求。
error-413-title = 数据太多
error-413-text = 你提交的内容超过本网站可接受的大小。请删减后再试一次。
error-429-title = 请求过于频繁
error-429-text = 短时间内从你的网络连接发出了太多请求。请稍等片刻再试。
error-500-title = 出了点问题
error-500-text = 网站本身遇到问题，并非你的操作所致。请稍后再试。
error-503-title = 暂时无法使用
error-503-text = 网站目前无法连接数据库。请一分钟后再试。
