//! The embedded DejaVu Sans font (no system font libraries) and the text styles
//! every chart uses.

use plotters::style::{FontStyle, IntoFont, RGBColor, TextStyle, register_font};
use std::sync::Once;

/// Font family name under which DejaVu Sans is registered.
pub const FAMILY: &str = "sans-serif";
/// Chart title size in pixels.
pub const TITLE_PX: f64 = 28.0;
/// Subtitle / panel title size in pixels.
pub const SUBTITLE_PX: f64 = 18.0;
/// Axis description size in pixels.
pub const AXIS_DESC_PX: f64 = 18.0;
/// Tick label and legend size in pixels.
pub const LABEL_PX: f64 = 16.0;
/// Annotation size in pixels.
pub const NOTE_PX: f64 = 15.0;

/// Dark grey used for text.
pub const TEXT: RGBColor = RGBColor(33, 33, 33);
/// Mid grey used for secondary text.
pub const TEXT_MUTED: RGBColor = RGBColor(90, 90, 90);

static REGISTER: Once = Once::new();

/// Registers DejaVu Sans (regular and bold) as `sans-serif`, once per process.
pub fn ensure_registered() {
    REGISTER.call_once(|| {
        // The embedded fonts are valid; a failure would only mean text is not drawn,
        // which the drawing calls then report as an error.
        let _ = register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular());
        let _ = register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Regular text of `px` pixels in the default text colour.
pub fn text(px: f64) -> TextStyle<'static> {
    (FAMILY, px).into_font().color(&TEXT)
}

/// Bold text of `px` pixels in the default text colour.
pub fn bold(px: f64) -> TextStyle<'static> {
    // `FontDesc::style` keeps the regular glyphs in plotters 0.3.7; load bold directly.
    (FAMILY, px, FontStyle::Bold).into_font().color(&TEXT)
}

/// Regular text of `px` pixels in the muted colour.
pub fn muted(px: f64) -> TextStyle<'static> {
    (FAMILY, px).into_font().color(&TEXT_MUTED)
}
