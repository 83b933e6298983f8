//! Step charts as data: the geometry of an inline SVG chart, drawn by the HTML template.
//!
//! Why our own small builder over the template engine rather than the `svg` crate: the
//! only logic in these charts is geometry (scales, ticks, step lines), which is easiest
//! to test as plain data; the markup is a dozen elements that sit best beside the rest of
//! the page in the same template, with one escaping discipline (minijinja's) for every
//! label. Coordinates are integers, so the same report renders to the same bytes on every
//! platform.

use serde::Serialize;

use crate::scenario::{Minute, time::format_offset};

/// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
const PALETTE: [&str; 7] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
];
/// Dash patterns so that series stay apart in grey print too.
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];

const WIDTH: i64 = 760;
const LEFT: i64 = 44;
const RIGHT: i64 = 16;
const TOP: i64 = 12;
const BOTTOM: i64 = 40;
const PLOT_HEIGHT: i64 = 200;

/// A value that changes at points in time and holds in between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Steps {
    pub label: String,
    /// (minute, value from then on), in time order; the value is 0 before the first.
    pub changes: Vec<(Minute, i64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tick {
    /// Pixel position along the axis.
    pub at: i64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    pub label: String,
    pub color: &'static str,
    pub dash: &'static str,
    /// SVG `points` of a polyline: "x,y x,y …".
    pub points: String,
    /// Last value, for the legend.
    pub last: i64,
}

/// Everything the template needs to draw one chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepChart {
    pub title: String,
    /// What the chart shows, for screen readers (SVG `<desc>`).
    pub description: String,
    pub y_label: String,
    pub width: i64,
    pub height: i64,
    pub left: i64,
    pub top: i64,
    pub right: i64,
    pub bottom: i64,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    pub lines: Vec<Line>,
}

/// A tick interval giving at most about ten ticks over `end` minutes.
fn x_interval(end: Minute) -> Minute {
    const CHOICES: [Minute; 8] = [
        60,
        2 * 60,
        3 * 60,
        6 * 60,
        12 * 60,
        1440,
        2 * 1440,
        7 * 1440,
    ];
    CHOICES
        .into_iter()
        .find(|step| end / step <= 10)
        .unwrap_or(30 * 1440)
}

fn y_interval(max: i64) -> i64 {
    [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|step| max / step <= 8)
        .unwrap_or(max.max(1) / 8 + 1)
}

/// Lays out a step chart of `series` over minutes `0..=end`, values `0..=y_max`.
/// Series drawn on top of each other are nudged a pixel or two apart, so none hides.
pub fn step_chart(
    title: &str,
    description: &str,
    y_label: &str,
    series: &[Steps],
    end: Minute,
    y_max: i64,
) -> StepChart {
    let end = end.max(1);
    let y_max = y_max.max(1);
    let plot_width = WIDTH - LEFT - RIGHT;
    let x = |t: Minute| LEFT + t.clamp(0, end) * plot_width / end;
    let y = |v: i64| TOP + PLOT_HEIGHT - v.clamp(0, y_max) * PLOT_HEIGHT / y_max;
    let interval = x_interval(end);
    let x_ticks = (0..=end / interval)
        .map(|i| Tick {
            at: x(i * interval),
            label: format_offset(i * interval),
        })
        .collect();
    let y_step = y_interval(y_max);
    let y_ticks = (0..=y_max / y_step)
        .map(|i| Tick {
            at: y(i * y_step),
            label: (i * y_step).to_string(),
        })
        .collect();
    let count = i64::try_from(series.len()).unwrap_or(i64::MAX);
    let lines = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let nudge = i64::try_from(i).unwrap_or(0) * 2 - (count - 1);
            let mut points = vec![(x(0), y(0) + nudge)];
            let mut value = 0;
            for &(t, v) in &s.changes {
                let px = x(t);
                points.push((px, y(value) + nudge));
                points.push((px, y(v) + nudge));
                value = v;
            }
            points.push((x(end), y(value) + nudge));
            points.dedup();
            Line {
                label: s.label.clone(),
                color: PALETTE[i % PALETTE.len()],
                dash: DASHES[(i / PALETTE.len() + i) % DASHES.len()],
                points: points
                    .iter()
                    .map(|(px, py)| format!("{px},{py}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                last: value,
            }
        })
        .collect();
    StepChart {
        title: title.to_owned(),
        description: description.to_owned(),
        y_label: y_label.to_owned(),
        width: WIDTH,
        height: TOP + PLOT_HEIGHT + BOTTOM,
        left: LEFT,
        top: TOP,
        right: WIDTH - RIGHT,
        bottom: TOP + PLOT_HEIGHT,
        x_ticks,
        y_ticks,
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_goes_across_then_up() {
        let chart = step_chart(
            "t",
            "d",
            "actors",
            &[Steps {
                label: "a".into(),
                changes: vec![(60, 1), (120, 2)],
            }],
            240,
            2,
        );
        let line = &chart.lines[0];
        // x: 44 + t * 700 / 240; y: 12 + 200 - v * 100.
        assert_eq!(line.points, "44,212 219,212 219,112 394,112 394,12 744,12");
        assert_eq!(line.last, 2);
        assert_eq!(chart.y_ticks.len(), 3);
        assert_eq!(chart.x_ticks.first().map(|t| t.at), Some(44));
        assert_eq!(chart.x_ticks.last().map(|t| t.label.as_str()), Some("T+4h"));
    }

    #[test]
    fn overlapping_series_are_nudged_apart() {
        let same = Steps {
            label: "a".into(),
            changes: vec![(10, 1)],
        };
        let chart = step_chart("t", "d", "n", &[same.clone(), same], 100, 1);
        assert_ne!(chart.lines[0].points, chart.lines[1].points);
        assert_ne!(chart.lines[0].color, chart.lines[1].color);
    }

    #[test]
    fn ticks_stay_few_over_long_exercises() {
        let chart = step_chart("t", "d", "n", &[], 30 * 1440, 1000);
        assert!(chart.x_ticks.len() <= 11, "{}", chart.x_ticks.len());
        assert!(chart.y_ticks.len() <= 9, "{}", chart.y_ticks.len());
    }
}
