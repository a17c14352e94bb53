//! Line charts as inline SVG, so the HTML report needs no network and no script.

use std::fmt::Write;

/// Escapes text for HTML and SVG.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A line chart of one quantity over the turns: the run, and optionally a second run dashed.
pub fn chart(title: &str, max: f64, run: &[(u32, f64)], other: Option<(&str, &[(u32, f64)])>) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 220.0, 48.0, 16.0, 28.0, 32.0);
    let turns = run
        .iter()
        .chain(other.map_or(&[][..], |(_, o)| o))
        .map(|(t, _)| *t)
        .max()
        .unwrap_or(1)
        .max(2);
    let x = |t: u32| left + (f64::from(t) - 1.0) / (f64::from(turns) - 1.0) * (w - left - right);
    let y = |v: f64| top + (1.0 - (v / max).clamp(0.0, 1.0)) * (h - top - bottom);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}"><title>{t}</title><rect width="{w}" height="{h}" fill="#ffffff"/><text x="{left}" y="18" font-size="14" font-family="sans-serif" fill="#222">{t}</text>"##,
        t = escape(title)
    );
    // Whole rungs on the 0-9 ladder, quarters on 0-1 scales.
    let divisions = if max >= 5.0 { 3 } else { 4 };
    for k in 0..=divisions {
        let v = max * f64::from(k) / f64::from(divisions);
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" font-family="sans-serif" fill="#555">{}</text>"##,
            w - right,
            left - 6.0,
            y(v) + 4.0,
            if max >= 5.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.2}")
            },
            y = y(v)
        );
    }
    for t in 1..=turns {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle" font-family="sans-serif" fill="#555">{t}</text>"##,
            x(t),
            h - 12.0
        );
    }
    let line = |points: &[(u32, f64)], style: &str| {
        let pts: Vec<String> = points
            .iter()
            .map(|(t, v)| format!("{:.1},{:.1}", x(*t), y(*v)))
            .collect();
        format!(
            r#"<polyline fill="none" stroke-width="2.5" {style} points="{}"/>"#,
            pts.join(" ")
        )
    };
    s.push_str(&line(run, r##"stroke="#1f4e99""##));
    if let Some((name, o)) = other {
        s.push_str(&line(o, r##"stroke="#c0392b" stroke-dasharray="6 4""##));
        let _ = write!(
            s,
            r##"<text x="{}" y="18" font-size="11" text-anchor="end" font-family="sans-serif"><tspan fill="#1f4e99">— this run</tspan> <tspan fill="#c0392b">- - {}</tspan></text>"##,
            w - right,
            escape(name)
        );
    }
    s.push_str("</svg>");
    s
}
