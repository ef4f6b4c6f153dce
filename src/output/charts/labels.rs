//! Placement of bubble labels on the site map so they overlap neither bubbles
//! nor each other; labels pushed away from their bubble get a leader line.

/// A rectangle in pixels: (left, top, right, bottom).
pub type Rect = (i32, i32, i32, i32);

/// A circle in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bubble {
    /// Centre x.
    pub x: i32,
    /// Centre y.
    pub y: i32,
    /// Radius.
    pub r: i32,
}

/// Where a label went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Its box.
    pub rect: Rect,
    /// Draw a leader line from the bubble to the box.
    pub leader: bool,
}

/// True when two rectangles intersect (touching counts).
pub fn rects_overlap(a: Rect, b: Rect) -> bool {
    !(a.2 < b.0 || a.0 > b.2 || a.3 < b.1 || a.1 > b.3)
}

/// True when the circle comes within 2 px of the rectangle.
pub fn circle_hits(c: Bubble, r: Rect) -> bool {
    let nx = c.x.clamp(r.0, r.2) as f64;
    let ny = c.y.clamp(r.1, r.3) as f64;
    let (dx, dy) = (nx - c.x as f64, ny - c.y as f64);
    (dx * dx + dy * dy).sqrt() < c.r as f64 + 2.0
}

/// The point of `r` nearest to (`x`, `y`).
pub fn nearest(r: Rect, x: i32, y: i32) -> (i32, i32) {
    (x.clamp(r.0, r.2), y.clamp(r.1, r.3))
}

/// Places one label of size `sizes[i]` per bubble, inside `bounds`, avoiding all
/// bubbles, `obstacles` and earlier labels; tries 8 directions at growing distances.
pub fn place(
    bubbles: &[Bubble],
    sizes: &[(i32, i32)],
    bounds: Rect,
    obstacles: &[Rect],
) -> Vec<Placed> {
    const DIRS: [(f64, f64); 8] = [
        (1.0, 0.0),
        (-1.0, 0.0),
        (0.0, -1.0),
        (0.0, 1.0),
        (0.707, -0.707),
        (0.707, 0.707),
        (-0.707, -0.707),
        (-0.707, 0.707),
    ];
    let mut placed: Vec<Placed> = Vec::new();
    for (&b, &(w, h)) in bubbles.iter().zip(sizes) {
        let cand = |dist: i32, (ux, uy): (f64, f64)| -> Rect {
            let ax = b.x + ((b.r + dist) as f64 * ux).round() as i32;
            let ay = b.y + ((b.r + dist) as f64 * uy).round() as i32;
            let left = if ux > 0.1 {
                ax
            } else if ux < -0.1 {
                ax - w
            } else {
                ax - w / 2
            };
            let top = if uy > 0.1 {
                ay
            } else if uy < -0.1 {
                ay - h
            } else {
                ay - h / 2
            };
            (left, top, left + w, top + h)
        };
        let inside =
            |r: Rect| r.0 >= bounds.0 && r.1 >= bounds.1 && r.2 <= bounds.2 && r.3 <= bounds.3;
        let free = |r: Rect| {
            bubbles.iter().all(|&o| !circle_hits(o, r))
                && obstacles.iter().all(|&o| !rects_overlap(r, o))
                && placed.iter().all(|p| !rects_overlap(r, p.rect))
        };
        let mut found = None;
        'search: for dist in [6, 20, 40, 70, 110] {
            for d in DIRS {
                let r = cand(dist, d);
                if inside(r) && free(r) {
                    found = Some(Placed {
                        rect: r,
                        leader: dist > 6,
                    });
                    break 'search;
                }
            }
        }
        let fallback = || {
            DIRS.iter()
                .map(|&d| cand(6, d))
                .find(|&r| inside(r) && placed.iter().all(|p| !rects_overlap(r, p.rect)))
                .unwrap_or_else(|| cand(6, DIRS[0]))
        };
        placed.push(found.unwrap_or_else(|| Placed {
            rect: fallback(),
            leader: false,
        }));
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_avoid_bubbles_and_each_other() {
        let bubbles = [
            Bubble {
                x: 100,
                y: 100,
                r: 30,
            },
            Bubble {
                x: 140,
                y: 100,
                r: 20,
            },
            Bubble {
                x: 120,
                y: 130,
                r: 25,
            },
        ];
        let sizes = [(120, 36); 3];
        let p = place(&bubbles, &sizes, (0, 0, 600, 400), &[]);
        assert_eq!(p.len(), 3);
        for (i, a) in p.iter().enumerate() {
            assert!(bubbles.iter().all(|&b| !circle_hits(b, a.rect)));
            for b in &p[i + 1..] {
                assert!(!rects_overlap(a.rect, b.rect));
            }
        }
    }

    #[test]
    fn impossible_space_falls_back() {
        let p = place(
            &[Bubble { x: 5, y: 5, r: 50 }],
            &[(100, 30)],
            (0, 0, 10, 10),
            &[],
        );
        assert_eq!(p.len(), 1);
        assert!(!p[0].leader);
    }
}
