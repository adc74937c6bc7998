//! Progress bars drawn on the server as SVG: no chart library, a few hundred bytes each.

/// A horizontal bar for `progress` (0–100) or a hatched "no data" bar for `None`.
pub fn bar(progress: Option<f64>, width: u32) -> String {
    match progress {
        Some(p) => {
            let p = p.clamp(0.0, 100.0);
            let filled = (p / 100.0 * f64::from(width)).round();
            let colour = if p >= 100.0 {
                "#1f6f2b"
            } else if p >= 50.0 {
                "#0b4f9c"
            } else {
                "#a3150f"
            };
            format!(
                "<svg class=\"bar\" width=\"{width}\" height=\"10\" viewBox=\"0 0 {width} 10\" role=\"img\" aria-label=\"{}\"><rect width=\"{width}\" height=\"10\" rx=\"3\" fill=\"#e5e7eb\"/><rect width=\"{filled}\" height=\"10\" rx=\"3\" fill=\"{colour}\"/></svg>",
                danvan_domain::plans::format::percent(p)
            )
        }
        None => format!(
            "<svg class=\"bar\" width=\"{width}\" height=\"10\" viewBox=\"0 0 {width} 10\" role=\"img\" aria-label=\"chưa có số liệu\"><rect width=\"{width}\" height=\"10\" rx=\"3\" fill=\"#f4f5f7\" stroke=\"#d0d4da\"/></svg>"
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bars_scale_and_label() {
        let b = super::bar(Some(40.0), 100);
        assert!(b.contains("width=\"40\"") && b.contains("aria-label=\"40"));
        assert!(super::bar(None, 80).contains("chưa có số liệu"));
        assert!(
            super::bar(Some(250.0), 100)
                .contains("width=\"100\" height=\"10\" rx=\"3\" fill=\"#1f6f2b\"")
        );
    }
}
