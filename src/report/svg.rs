//! Line charts as inline SVG, so the HTML report needs no network and no script.

use std::fmt::Write;

/// Escapes text for HTML and SVG.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What the vertical axis of a chart shows: its name, its top, and the names of its rungs (the
/// escalation ladder's) when it has them.
pub struct Axis<'a> {
    /// What is measured, with its unit or scale: `escalation (ladder rung)`.
    pub label: &'a str,
    /// The top of the scale (the bottom is 0).
    pub max: f64,
    /// A name for each whole value from 0, written along its grid line.
    pub rungs: &'a [&'a str],
}

/// A line chart of one quantity over the turns: the run, and optionally a second run dashed.
/// Both axes are labelled; a ladder's rungs are named along their grid lines.
pub fn chart(title: &str, axis: &Axis, run: &[(u32, f64)], other: Option<(&str, &[(u32, f64)])>) -> String {
    let max = axis.max;
    let (w, h, left, right, top, bottom) = (680.0, 250.0, 64.0, 16.0, 30.0, 44.0);
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
    // Every rung of a ladder, quarters on 0-1 scales.
    let steps: Vec<f64> = if axis.rungs.is_empty() {
        (0..=4).map(|k| max * f64::from(k) / 4.0).collect()
    } else {
        (0..axis.rungs.len()).map(|k| k as f64).filter(|v| *v <= max).collect()
    };
    for v in steps {
        let label = if axis.rungs.is_empty() {
            format!("{v:.2}")
        } else {
            format!("{v:.0}")
        };
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" font-family="sans-serif" fill="#555">{label}</text>"##,
            w - right,
            left - 6.0,
            y(v) + 4.0,
            y = y(v)
        );
        if let Some(name) = axis.rungs.get(v as usize).filter(|_| !axis.rungs.is_empty()) {
            let _ = write!(
                s,
                r##"<text x="{}" y="{:.1}" font-size="9" font-family="sans-serif" fill="#999">{}</text>"##,
                left + 4.0,
                y(v) - 2.0,
                escape(name)
            );
        }
    }
    for t in 1..=turns {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle" font-family="sans-serif" fill="#555">{t}</text>"##,
            x(t),
            h - bottom + 16.0
        );
    }
    // The axes' names: turns along the bottom, the quantity up the left side.
    let _ = write!(
        s,
        r##"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle" font-family="sans-serif" fill="#333">turn</text><text transform="translate(14 {:.1}) rotate(-90)" font-size="11" text-anchor="middle" font-family="sans-serif" fill="#333">{}</text>"##,
        (left + w - right) / 2.0,
        h - 6.0,
        (top + h - bottom) / 2.0,
        escape(axis.label)
    );
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
