//! A portable `exp` for the kernel.
//!
//! The platform's `exp` differs between C libraries and cannot be
//! vectorised; this one is IEEE arithmetic and fused multiply-adds only,
//! each exactly rounded, so it gives the same bits on every platform and
//! vector width, and the compiler can run it on several runs at once. It is
//! within about two units in the last place of the correctly rounded result.

const LOG2E: f64 = std::f64::consts::LOG2_E;
/// ln 2 split so that `k * LN2_HI` is exact for |k| < 2^11 (fdlibm's constants).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// 1.5 · 2^52: adding it rounds to an integer held in the low mantissa bits.
const SHIFT: f64 = 6_755_399_441_055_744.0;

/// Taylor coefficients 1/n! for n = 13 down to 2.
const COEFFS: [f64; 12] = [
    1.0 / 6_227_020_800.0,
    1.0 / 479_001_600.0,
    1.0 / 39_916_800.0,
    1.0 / 3_628_800.0,
    1.0 / 362_880.0,
    1.0 / 40_320.0,
    1.0 / 5_040.0,
    1.0 / 720.0,
    1.0 / 120.0,
    1.0 / 24.0,
    1.0 / 6.0,
    0.5,
];

/// `e^x`, for `x` clamped to [-708, 709] (beyond which `f64` underflows
/// to subnormals or overflows).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    let x = x.clamp(-708.0, 709.0);
    // x = k ln 2 + r with k an integer and |r| <= ln 2 / 2.
    let t = x.mul_add(LOG2E, SHIFT);
    let k = t - SHIFT;
    let r = (-k).mul_add(LN2_LO, (-k).mul_add(LN2_HI, x));
    // e^r by its Taylor series to r^13 (the next term is below 2^-57), by
    // Horner's rule in fused multiply-adds.
    let mut p = COEFFS[0];
    for c in &COEFFS[1..] {
        p = p.mul_add(r, *c);
    }
    let p = p.mul_add(r, 1.0).mul_add(r, 1.0);
    // 2^k from the integer in t's low bits, placed in the exponent field.
    let scale = f64::from_bits(t.to_bits().wrapping_add(1023) << 52);
    p * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Within two units in the last place of the platform's `exp` over the
    /// range the kernel uses, and exact where it must be.
    #[test]
    fn exp_matches_the_platforms_to_two_ulps() {
        assert_eq!(exp(0.0), 1.0);
        let mut x = -700.0;
        while x <= 700.0 {
            let (got, want) = (exp(x), x.exp());
            let ulp = f64::from_bits(want.to_bits() + 1) - want;
            assert!(
                (got - want).abs() <= 2.0 * ulp,
                "exp({x}) = {got}, libm {want}"
            );
            x += 0.0137;
        }
        assert_eq!(exp(-1e9), exp(-708.0));
        assert!(exp(1e9).is_finite());
    }
}
