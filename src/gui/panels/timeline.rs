//! The timeline: key events of the journal in lanes (injects, detections, reports,
//! impacts, crisis levels, decisions, objectives, observations) over simulated hours,
//! with the clock as a vertical line. Hover a point to read its event.

use egui::Ui;
use egui_plot::{GridMark, HoverPosition, MarkerShape, Plot, PlotPoints, Points, VLine};

use super::super::feed::Lane;
use super::super::look;
use super::super::seen::Seen;

fn lane_y(lane: Lane) -> f64 {
    let index = Lane::ALL.iter().position(|l| *l == lane).unwrap_or(0);
    -f64::from(u32::try_from(index).unwrap_or(0))
}

fn marker(lane: Lane) -> (MarkerShape, egui::Color32) {
    use egui::Color32;
    match lane {
        Lane::Injects => (MarkerShape::Diamond, Color32::from_rgb(70, 130, 220)),
        Lane::Detections => (MarkerShape::Circle, Color32::from_rgb(225, 200, 40)),
        Lane::Reports => (MarkerShape::Square, Color32::from_rgb(200, 80, 200)),
        Lane::Impacts => (MarkerShape::Asterisk, Color32::from_rgb(215, 50, 50)),
        Lane::Crisis => (MarkerShape::Up, Color32::from_rgb(225, 150, 20)),
        Lane::Decisions => (MarkerShape::Cross, Color32::from_rgb(150, 90, 200)),
        Lane::ObjectivesMet => (MarkerShape::Circle, look::MET),
        Lane::ObjectivesMissed => (MarkerShape::Cross, look::MISSED),
        Lane::Observations => (MarkerShape::Plus, Color32::from_rgb(160, 160, 170)),
    }
}

pub fn timeline_ui(ui: &mut Ui, seen: &Seen<'_>) {
    let journal = seen.sim().journal();
    let lanes = &seen.feed.lanes;
    let now = seen.now();
    let end = seen.sim().end();
    let hours = |t: i64| {
        #[allow(clippy::cast_precision_loss, reason = "minutes of an exercise fit")]
        let h = t as f64 / 60.0;
        h
    };
    let start = seen.sim().plan().start;
    let label = move |pos: &HoverPosition<'_>| -> Option<String> {
        match pos {
            HoverPosition::NearDataPoint {
                plot_name, index, ..
            } => {
                let lane = Lane::ALL.iter().find(|l| l.label() == *plot_name)?;
                let (_, seq) = *lanes.get(lane)?.get(*index)?;
                let entry = journal.get(usize::try_from(seq).ok()?)?;
                Some(format!(
                    "{} ({})\n{}",
                    crate::scenario::time::format_offset(entry.t),
                    start.plus(entry.t).short(),
                    crate::sim::narrate::describe(seen.plan(), entry)
                ))
            }
            HoverPosition::Elsewhere { position } => {
                #[allow(
                    clippy::cast_possible_truncation,
                    reason = "the plot shows minutes of an exercise"
                )]
                let t = (position.x * 60.0).round() as i64;
                Some(format!(
                    "{} ({})",
                    crate::scenario::time::format_offset(t),
                    start.plus(t).short()
                ))
            }
        }
    };
    let plot = Plot::new("timeline")
        .show_y(false)
        .allow_scroll(false)
        .include_x(0.0)
        .include_x(hours(end))
        .include_y(0.5)
        .include_y(lane_y(Lane::Observations) - 0.5)
        .x_axis_label("simulated hours since T+0")
        .y_axis_formatter(|mark: GridMark, _| {
            let value = mark.value;
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "lane indices are small"
            )]
            let index = (-value).round() as usize;
            if (value - value.round()).abs() < 1e-6 && value <= 0.0 {
                Lane::ALL
                    .get(index)
                    .map_or_else(String::new, |l| l.label().to_owned())
            } else {
                String::new()
            }
        })
        .label_formatter(label)
        .show(ui, |plot| {
            for lane in Lane::ALL {
                let Some(points) = lanes.get(&lane) else {
                    continue;
                };
                let y = lane_y(lane);
                let series: Vec<[f64; 2]> = points.iter().map(|(t, _)| [hours(*t), y]).collect();
                let (shape, color) = marker(lane);
                plot.points(
                    Points::new(lane.label(), PlotPoints::new(series))
                        .shape(shape)
                        .color(color)
                        .radius(4.0)
                        .filled(true),
                );
            }
            plot.vline(
                VLine::new("now", hours(now))
                    .color(egui::Color32::from_rgb(215, 60, 60))
                    .width(2.0),
            );
        });
    // A figure in the accessibility tree: screen readers can name it, and the layout
    // tests can check that it fits its panel.
    plot.response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::accesskit::Role::Figure,
            true,
            "Timeline: key events over simulated hours",
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missed_objectives_are_red_and_met_ones_green() {
        assert_eq!(marker(Lane::ObjectivesMissed).1, look::MISSED);
        assert_eq!(marker(Lane::ObjectivesMet).1, look::MET);
        assert_ne!(look::MET, look::MISSED);
    }
}
