//! What a chart's SVG says, for tests that a chart still draws its title, axes, tick
//! labels and legend (the PNG shows the same drawing).

/// The text of every `<text>` element of an SVG, in order, unescaped.
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            let text = body[..body.find("</text>")?].trim();
            Some(
                text.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}

/// Every `<text>` element of an SVG as (x, y, text): where plotters anchored it, for
/// tests of where labels went.
pub fn svg_text_positions(svg: &str) -> Vec<(f64, f64, String)> {
    let attr = |head: &str, name: &str| -> Option<f64> {
        head.split(&format!(" {name}=\""))
            .nth(1)?
            .split('"')
            .next()?
            .parse()
            .ok()
    };
    svg.split("<text")
        .skip(1)
        .zip(svg_texts(svg))
        .filter_map(|(t, text)| {
            let head = &t[..t.find('>')?];
            Some((attr(head, "x")?, attr(head, "y")?, text))
        })
        .collect()
}

/// The step (1, 2, 5 or 10 years) of the year tick labels among `texts` when they
/// step evenly over `first..=last` with none missing at either end; `None` otherwise.
pub fn year_tick_step(texts: &[String], first: i32, last: i32) -> Option<i32> {
    let mut years: Vec<i32> = texts
        .iter()
        .filter_map(|t| t.parse().ok())
        .filter(|y| (first..=last).contains(y))
        .collect();
    years.sort_unstable();
    years.dedup();
    let step = years.get(1)? - years[0];
    let even = years.windows(2).all(|w| w[1] - w[0] == step);
    let ends = years[0] - first < step && last - years[years.len() - 1] < step;
    ([1, 2, 5, 10].contains(&step) && even && ends).then_some(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_year_steps() {
        let svg = "<svg><text x=\"1\">\nA &amp; B\n</text><text>2024</text><text>2026</text></svg>";
        let t = svg_texts(svg);
        assert_eq!(t, ["A & B", "2024", "2026"]);
        assert_eq!(year_tick_step(&t, 2023, 2027), Some(2));
        assert_eq!(year_tick_step(&t, 2023, 2030), None);
        assert_eq!(year_tick_step(&t[..2], 2023, 2024), None);
    }
}
