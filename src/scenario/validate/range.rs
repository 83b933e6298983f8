//! Duration ranges: minimum not above maximum, and not zero where zero means nothing.

use crate::scenario::locate::ItemPath;
use crate::scenario::time::DurationRange;

use super::problem::Found;

pub(super) fn check_range(
    found: &mut Found,
    path: ItemPath,
    range: &DurationRange,
    allow_zero: bool,
) {
    if range.min() > range.max() {
        found.push((
            path,
            format!(
                "minimum {} is more than maximum {}; expected (min, max), e.g. (\"{}\", \"{}\")",
                range.min(),
                range.max(),
                range.max(),
                range.min()
            ),
        ));
    } else if !allow_zero && range.max().minutes == 0 {
        found.push((path, "zero duration; expected at least 1m".into()));
    }
}
