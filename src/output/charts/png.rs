//! Encodes an RGB buffer drawn by plotters' `BitMapBackend` as PNG bytes.

use super::ChartError;

/// Encodes `rgb` (`width * height * 3` bytes, row-major) as an 8-bit RGB PNG.
pub fn encode_rgb(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let expected = width as usize * height as usize * 3;
    if rgb.len() != expected {
        return Err(ChartError::Draw(format!(
            "RGB buffer has {} bytes, expected {expected}",
            rgb.len()
        )));
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // Fast (fdeflate) is several times quicker than Balanced on flat-coloured charts,
        // for files a little larger.
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc
            .write_header()
            .map_err(|e| ChartError::Draw(format!("PNG header: {e}")))?;
        writer
            .write_image_data(rgb)
            .map_err(|e| ChartError::Draw(format!("PNG data: {e}")))?;
        writer
            .finish()
            .map_err(|e| ChartError::Draw(format!("PNG finish: {e}")))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_signature() {
        let buf = vec![255u8; 4 * 3 * 3];
        let bytes = encode_rgb(&buf, 4, 3).unwrap();
        assert_eq!(
            &bytes[..8],
            &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]
        );
    }

    #[test]
    fn rejects_wrong_size() {
        assert!(encode_rgb(&[0u8; 5], 4, 3).is_err());
    }
}
