# /open：在瀏覽器中打開加密的匯出檔案。
open-heading = 打開加密的匯出檔案
open-intro = 擁有者有自己金鑰的活動，其匯出檔案以這些金鑰加密（.csv.age 檔案）。這個頁面用你的私鑰在你的瀏覽器中打開它：金鑰和檔案都不會傳送到任何地方。
open-nojs = 這個頁面需要 JavaScript 才能打開檔案。沒有的話，請用 age 指令：
open-command = 用 age 指令（Debian 的「age」套件）：
open-key-file = 你的私鑰檔案（key.txt）
open-key = 或者貼上你的私鑰
open-key-hint = 以 AGE-SECRET-KEY- 開頭的那一行。
open-file = 加密的匯出檔案（.csv.age）
open-button = 打開
open-no-key = 請選擇或貼上你的私鑰：以 AGE-SECRET-KEY- 開頭的那一行。
open-no-file = 請選擇加密的匯出檔案，即以 .csv.age 結尾的檔案。
open-wrong-key = 這個金鑰打不開這個檔案：它是以另一個金鑰加密的，或者已損壞。
open-done = 已打開：{ "{" }rows{ "}" } 行。
open-download = 儲存打開的 CSV
open-rows = 行
