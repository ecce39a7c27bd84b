## 網站框架：頁首、頁尾、語言選單。

# 語言以自身文字寫出的名稱，顯示在語言選單中。
language-name = 繁體中文
site-name = Undersigned 聯署
skip-to-content = 跳到主要內容
language-switcher-label = 語言
footer-privacy = 本網站不會從其他網站載入任何內容，也不會儲存你的 IP 位址：只會保存其雜湊值數天以防止濫用，之後連同算出它的密鑰一併刪除。電郵地址一律不會公開。

## 日期。$day、$year 是數字；$month 是下面的月份名稱。

# 大數目中每三位數字之間的分隔符（1,234,567）。
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

## 首頁。

home-heading = 聯署運動
home-empty = 目前還沒有聯署運動。

## 錯誤頁面。

error-home-link = 返回聯署運動列表
error-400-title = 無法理解這個請求
error-400-text = 請求中有些內容不符合預期。請返回上一頁，檢查你填寫的內容後再試一次。
error-404-title = 找不到頁面
error-404-text = 這個網址沒有任何頁面。頁面可能已經搬遷，或者該聯署運動已經下架。
error-405-title = 這裡無法進行這項操作
error-405-text = 這個網址不接受這類請求。
error-413-title = 資料太多
error-413-text = 你送出的內容超過本網站可接受的大小。請刪減後再試一次。
error-429-title = 請求過於頻繁
error-429-text = 短時間內從你的網絡連線送出了太多請求。請稍等一會兒再試。
error-500-title = 出了點問題
error-500-text = 網站本身遇到問題，並非你的操作所致。請稍後再試。
error-503-title = 暫時無法使用
error-503-text = 網站目前無法連接資料庫。請一分鐘後再試。
