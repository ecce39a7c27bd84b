# /open：在浏览器中打开加密的导出文件。
open-heading = 打开加密的导出文件
open-intro = 拥有者有自己密钥的活动，其导出文件以这些密钥加密（.csv.age 文件）。这个页面用你的私钥在你的浏览器中打开它：密钥和文件都不会发送到任何地方。
open-nojs = 这个页面需要 JavaScript 才能打开文件。没有的话，请用 age 命令：
open-command = 用 age 命令（Debian 的“age”软件包）：
open-key-file = 你的私钥文件（key.txt）
open-key = 或者贴上你的私钥
open-key-hint = 以 AGE-SECRET-KEY- 开头的那一行。
open-file = 加密的导出文件（.csv.age）
open-button = 打开
open-no-key = 请选择或贴上你的私钥：以 AGE-SECRET-KEY- 开头的那一行。
open-no-file = 请选择加密的导出文件，即以 .csv.age 结尾的文件。
open-wrong-key = 这个密钥打不开这个文件：它是以另一个密钥加密的，或者已损坏。
open-done = 已打开：{ "{" }rows{ "}" } 行。
open-download = 保存打开的 CSV
open-rows = 行
