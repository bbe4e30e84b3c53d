//! The Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008):
//! eight colours that readers with any common colour-vision deficiency
//! tell apart. Charts pair each colour with a line style or marker, so that
//! series stay apart in grey print too.

use plotters::style::RGBColor;

pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);

/// The colours of lines on white, in the order series take them. Yellow is
/// left out: it is too light for a line on white paper.
pub const LINES: [RGBColor; 7] = [
    BLUE,
    VERMILLION,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    ORANGE,
    SKY_BLUE,
    BLACK,
];
