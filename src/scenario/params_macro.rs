//! `params!` declares a group of model coefficients once and derives from it:
//! the scenario struct (every field a `Dist` with a default), the per-run struct
//! (every field an `f64`, drawn once per run), and a table of names, units and
//! descriptions for documentation and `--set` paths.

/// Declares a coefficient group. Each field: `name: default, [min, max], "unit", "meaning (source)";`.
#[macro_export]
macro_rules! params {
    ($(#[$meta:meta])* $spec:ident => $drawn:ident { $( $field:ident : $default:expr, [$lo:expr, $hi:expr], $unit:literal, $desc:literal; )* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct $spec {
            $( #[doc = $desc] #[doc = concat!("Unit: ", $unit, ". Default: ", stringify!($default), ".")] pub $field: $crate::scenario::dist::Dist, )*
        }

        impl Default for $spec {
            fn default() -> Self {
                Self { $( $field: $crate::scenario::dist::Dist::Value($default as f64), )* }
            }
        }

        $(#[$meta])*
        /// (Values drawn for one run.)
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct $drawn {
            $( #[doc = $desc] pub $field: f64, )*
        }

        impl $spec {
            /// Name, unit and meaning of every field, in declaration order.
            pub const FIELDS: &'static [(&'static str, &'static str, &'static str)] = &[ $( (stringify!($field), $unit, $desc), )* ];

            /// Allowed range `(min, max)` of every field, in declaration order.
            pub const RANGES: &'static [(f64, f64)] = &[ $( ($lo as f64, $hi as f64), )* ];

            /// Draws every field once, in declaration order.
            pub fn draw<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> $drawn {
                $drawn { $( $field: self.$field.draw(rng), )* }
            }

            /// Every field with its value, in declaration order.
            pub fn entries(&self) -> Vec<(&'static str, &$crate::scenario::dist::Dist)> {
                vec![ $( (stringify!($field), &self.$field), )* ]
            }

            /// A field by name, for overrides.
            pub fn get_mut(&mut self, name: &str) -> Option<&mut $crate::scenario::dist::Dist> {
                match name { $( stringify!($field) => Some(&mut self.$field), )* _ => None }
            }
        }
    };
}
