//! What a check finds: a problem at an item path.

use crate::scenario::locate::ItemPath;

/// Every problem found so far, in the order the checks ran.
pub(super) type Found = Vec<(ItemPath, String)>;
