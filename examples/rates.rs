//! Hit rates of the DuckSends objectives over many seeds (a quick look while tuning).
use tabletop::sim::{Simulation, Verdict};
fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let (scenario, _) = tabletop::scenario::load_path(std::path::Path::new("scenarios/ducksends.ron")).unwrap();
    let mut met = std::collections::BTreeMap::<String, u32>::new();
    let mut enc = 0; let mut det = 0; let mut events = 0;
    for seed in 0..n {
        let mut sim = Simulation::new(&scenario, seed).unwrap();
        sim.run_to_end();
        events += sim.journal().len();
        let o = sim.outcome();
        for ob in &o.objectives { if matches!(ob.verdict, Verdict::Met{..}) { *met.entry(ob.id.to_string()).or_default() += 1; } else { met.entry(ob.id.to_string()).or_default(); } }
        if o.impacts.iter().any(|i| i.2 == tabletop::scenario::ImpactKind::Encryption) { enc += 1; }
        if o.incidents.iter().any(|i| &*i.entity == "ducksends") { det += 1; }
    }
    for (k, v) in met { println!("{k}: {:.1}%", 100.0 * v as f64 / n as f64); }
    println!("encrypted somewhere: {enc}, ducksends detected: {det}, mean events {}", events as u64 / n);
}
