//! The economics of the cluster as an ECS: sites, firms, fabs, projects and links are
//! entities; market, policy, parameters, ledgers and metrics are resources; the twelve
//! yearly phases of the design are systems chained in one schedule:
//!
//! 1. market, 2. policy, 3. infrastructure, 4. investment, 5. construction,
//! 6. production, 7. fabless and design houses, 8. MPE suppliers, 9. R&D and learning,
//! 10. talent, 11. entry and exit, 12. metrics.

pub mod catalog;
pub mod components;
pub mod random;
pub mod resources;
pub mod schedule;
pub mod setup;
pub mod systems;
