//! The dashboard's charts of signatures per day and per country, drawn by the server as SVG: no
//! script, nothing loaded from elsewhere, readable without them (the page gives the same figures
//! as tables).

use std::fmt::Write;

use time::{Date, Duration};

use crate::render::escape_xml as escape;

/// How many days the chart covers at most (the latest ones).
pub const DAYS: i64 = 60;

/// The last `DAYS` days up to the latest signature, with zero for days without any.
pub fn daily(per_day: &[(Date, i64)]) -> Vec<(Date, i64)> {
    let Some(&(last, _)) = per_day.last() else { return Vec::new() };
    let first = per_day[0].0.max(last - Duration::days(DAYS - 1));
    let mut days = Vec::new();
    let mut day = first;
    while day <= last {
        days.push((day, per_day.iter().find(|(d, _)| *d == day).map_or(0, |(_, n)| *n)));
        day = day.next_day().expect("a date before 9999");
    }
    days
}

/// A bar chart, `title_id` naming the element that titles it. Only numbers and dates go into it.
pub fn svg(days: &[(Date, i64)], title_id: &str) -> String {
    let (width, height, top, bottom, left) = (720.0, 220.0, 12.0, 28.0, 44.0);
    let max = days.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let plot_w = width - left - 8.0;
    let plot_h = height - top - bottom;
    let slot = plot_w / days.len().max(1) as f64;
    let mut out = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{title_id}\" \
         xmlns=\"http://www.w3.org/2000/svg\">"
    );
    // Axis: zero and the maximum.
    let _ = write!(
        out,
        "<line x1=\"{left}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y0}\" stroke=\"#8a8178\"/>\
         <text x=\"{tx}\" y=\"{y0}\" font-size=\"12\" text-anchor=\"end\" fill=\"#555\">0</text>\
         <text x=\"{tx}\" y=\"{ytop}\" font-size=\"12\" text-anchor=\"end\" fill=\"#555\">{max}</text>",
        y0 = top + plot_h,
        x1 = width - 8.0,
        tx = left - 6.0,
        ytop = top + 10.0,
        max = max as i64,
    );
    for (i, (day, n)) in days.iter().enumerate() {
        let h = (*n as f64 / max) * plot_h;
        let x = left + i as f64 * slot + slot * 0.15;
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"#8c1c13\"><title>{day}: {n}</title></rect>",
            y = top + plot_h - h,
            w = slot * 0.7,
        );
    }
    // The first and last days under the axis.
    if let (Some((first, _)), Some((last, _))) = (days.first(), days.last()) {
        let _ = write!(
            out,
            "<text x=\"{left}\" y=\"{y}\" font-size=\"12\" fill=\"#555\">{first}</text>\
             <text x=\"{x}\" y=\"{y}\" font-size=\"12\" text-anchor=\"end\" fill=\"#555\">{last}</text>",
            y = height - 8.0,
            x = width - 8.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// How many countries the chart of countries shows bars for (the table beside it lists all).
pub const COUNTRIES: usize = 15;

/// A horizontal bar chart of labelled counts (countries, most first), `title_id` naming the
/// element that titles it; the first [`COUNTRIES`] rows. Labels are escaped.
pub fn bars(rows: &[(String, i64)], title_id: &str) -> String {
    let rows = &rows[..rows.len().min(COUNTRIES)];
    let (width, row_h, left, right) = (720.0, 24.0, 200.0, 64.0);
    let height = row_h * rows.len().max(1) as f64 + 8.0;
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let plot_w = width - left - right;
    let mut out = format!(
        "<svg class=\"chart chart-bars\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{title_id}\" \
         xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let label = escape(label);
        let y = 4.0 + i as f64 * row_h;
        let w = (*n as f64 / max) * plot_w;
        let _ = write!(
            out,
            "<text x=\"{tx}\" y=\"{ty:.1}\" font-size=\"13\" text-anchor=\"end\" fill=\"#333\">{label}</text>\
             <rect x=\"{left}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"#8c1c13\"><title>{label}: {n}</title></rect>\
             <text x=\"{nx:.1}\" y=\"{ty:.1}\" font-size=\"13\" fill=\"#333\">{n}</text>",
            tx = left - 8.0,
            ty = y + row_h * 0.65,
            h = row_h * 0.7,
            nx = left + w + 6.0,
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn days_without_signatures_are_zero_and_the_chart_is_plain_svg() {
        let days = daily(&[(date!(2026 - 11 - 20), 3), (date!(2026 - 11 - 23), 7)]);
        assert_eq!(days.len(), 4);
        assert_eq!(days[1], (date!(2026 - 11 - 21), 0));
        let svg = svg(&days, "t");
        assert_eq!(svg.matches("<rect").count(), 4);
        assert!(svg.contains("<title>2026-11-23: 7</title>"));
        assert!(!svg.contains("<script") && !svg.contains("style="));
        assert!(daily(&[]).is_empty());
    }

    #[test]
    fn the_bars_are_labelled_escaped_and_at_most_fifteen() {
        let rows: Vec<(String, i64)> =
            (0..20).map(|i| (if i == 0 { "A<b>&\"c".to_owned() } else { format!("C{i}") }, 20 - i)).collect();
        let svg = bars(&rows, "t");
        assert_eq!(svg.matches("<rect").count(), COUNTRIES);
        assert!(svg.contains("<title>A&lt;b&gt;&amp;&quot;c: 20</title>"));
        assert!(!svg.contains("<b>") && !svg.contains("C15"));
        assert!(svg.contains("aria-labelledby=\"t\""));
    }
}
