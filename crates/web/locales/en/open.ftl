# /open: a sealed export opened in the browser.
open-heading = Open a sealed export
open-intro = Exports of a campaign whose owners have keys of their own are sealed to those keys (.csv.age files). This page opens one with your secret key, here in your browser: neither the key nor the file is sent anywhere.
open-nojs = This page needs JavaScript to open a file. Without it, use the age command:
open-command = With the age command (Debian’s package “age”):
open-key-file = Your secret key file (key.txt)
open-key = Or paste your secret key
open-key-hint = The line that starts with AGE-SECRET-KEY-.
open-file = The sealed export (.csv.age)
open-button = Open
open-no-key = Choose or paste your secret key: the line that starts with AGE-SECRET-KEY-.
open-no-file = Choose the sealed export, a file ending in .csv.age.
open-wrong-key = This key does not open this file: it was sealed to another key, or it is damaged.
open-done = Opened: { "{" }rows{ "}" } rows.
open-download = Save the opened CSV
open-rows = rows
