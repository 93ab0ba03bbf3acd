//! Splitting an area by plain arithmetic, with ratatui's `Layout` as the
//! fallback.
//!
//! ratatui's `Layout::split` builds a cassowary system (kasuari) for every
//! split it has not cached: on the first frame that was 45% of the
//! instructions from exec to the settled sign-in screen (BENCHMARKS.md, issue
//! 15). The layouts this program draws are simple: lengths, fills, one `Min` or
//! `Max`, flex `Start` or `Center`, a gap of whole cells. Whenever every length
//! fits into the area, the solver's answer is arithmetic: each `Length`/`Max`
//! gets its size, the `Fill`s and `Min`s share what is left in proportion to
//! their weights (a `Min` weighs 1), the gaps are `spacing` wide, and with
//! nothing to fill the slack lies after the segments (`Start`) or is split
//! evenly before and after them (`Center`). The edges are rounded as ratatui
//! rounds the solver's values (to hundredths of a cell, then to a cell).
//!
//! Everything else (lengths that overflow the area, a `Min` that would get
//! less than its minimum, other constraint kinds or flex modes, overlapping
//! spacing) goes to ratatui's `Layout` unchanged. The unit tests below compare
//! both, rect for rect, for every layout the views use, over every area size
//! from 0 to 250 at several offsets.
//!
//! The type is a drop-in for the part of ratatui's `Layout` the views use
//! (`vertical`/`horizontal`, `flex`, `spacing`, `split`, `areas`).

use ratatui::layout::{Constraint, Direction, Flex, Rect};
use std::rc::Rc;

/// A split of an area along one direction; see the module documentation.
#[derive(Debug, Clone)]
pub struct Layout {
    direction: Direction,
    constraints: Vec<Constraint>,
    flex: Flex,
    spacing: u16,
}

impl Layout {
    /// Segments stacked top to bottom (as `ratatui::layout::Layout::vertical`).
    pub fn vertical<I>(constraints: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Constraint>,
    {
        Self::new(Direction::Vertical, constraints)
    }

    /// Segments side by side (as `ratatui::layout::Layout::horizontal`).
    pub fn horizontal<I>(constraints: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Constraint>,
    {
        Self::new(Direction::Horizontal, constraints)
    }

    fn new<I>(direction: Direction, constraints: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Constraint>,
    {
        // ratatui's default flex is `Start`.
        Self {
            direction,
            constraints: constraints.into_iter().map(Into::into).collect(),
            flex: Flex::Start,
            spacing: 0,
        }
    }

    /// How the space left over is distributed (as ratatui's `Layout::flex`).
    pub fn flex(mut self, flex: Flex) -> Self {
        self.flex = flex;
        self
    }

    /// Cells between neighbouring segments (as ratatui's `Layout::spacing`
    /// with a non-negative gap).
    pub fn spacing(mut self, spacing: u16) -> Self {
        self.spacing = spacing;
        self
    }

    /// The segments of `area`, exactly as ratatui's `Layout::split` gives them.
    pub fn split(&self, area: Rect) -> Rc<[Rect]> {
        let mut out = Vec::with_capacity(self.constraints.len());
        if self.solve(area, |r| out.push(r)) {
            out.into()
        } else {
            self.ratatui().split(area)
        }
    }

    /// The segments of `area` as an array (as ratatui's `Layout::areas`).
    ///
    /// # Panics
    /// When `N` is not the number of constraints (as ratatui does).
    pub fn areas<const N: usize>(&self, area: Rect) -> [Rect; N] {
        assert_eq!(self.constraints.len(), N, "the number of constraints must match the number of areas");
        let mut out = [Rect::default(); N];
        let mut i = 0;
        if self.solve(area, |r| {
            out[i] = r;
            i += 1;
        }) {
            out
        } else {
            self.ratatui().areas(area)
        }
    }

    /// The same layout for ratatui's solver.
    fn ratatui(&self) -> ratatui::layout::Layout {
        ratatui::layout::Layout::new(self.direction, self.constraints.iter().copied())
            .flex(self.flex)
            .spacing(self.spacing)
    }

    /// Emits the segments of `area` and returns true when the arithmetic
    /// applies; emits nothing and returns false otherwise.
    fn solve(&self, area: Rect, mut emit: impl FnMut(Rect)) -> bool {
        let centre = match self.flex {
            Flex::Start => false,
            Flex::Center => true,
            _ => return false,
        };
        let (start, end) = match self.direction {
            Direction::Horizontal => (area.x, area.right()),
            Direction::Vertical => (area.y, area.bottom()),
        };
        let size = u32::from(end - start);
        let n = self.constraints.len() as u32;
        // Lengths, maxima and gaps; the weights of what fills the rest.
        let mut fixed = u32::from(self.spacing) * n.saturating_sub(1);
        let mut weights = 0u32;
        for c in &self.constraints {
            match *c {
                Constraint::Length(l) | Constraint::Max(l) => fixed += u32::from(l),
                Constraint::Fill(w) if w > 0 => weights += u32::from(w),
                Constraint::Min(_) => weights += 1,
                _ => return false,
            }
        }
        if fixed > size {
            return false;
        }
        let rest = size - fixed;
        // A `Min` gets rest / weights; less than its minimum is the solver's case.
        if weights > 0
            && self.constraints.iter().any(|c| matches!(*c, Constraint::Min(m) if rest < u32::from(m) * weights))
        {
            return false;
        }
        // Edges in hundredths of a cell, as the solver's variables are.
        let lead = if weights == 0 && centre { f64::from(rest) * 50.0 } else { 0.0 };
        let mut pos = f64::from(start) * 100.0 + lead;
        let share = if weights > 0 { f64::from(rest) * 100.0 / f64::from(weights) } else { 0.0 };
        for c in &self.constraints {
            let from = pos;
            pos += match *c {
                Constraint::Length(l) | Constraint::Max(l) => f64::from(l) * 100.0,
                Constraint::Fill(w) => share * f64::from(w),
                _ => share, // Min
            };
            let (a, b) = (cell(from), cell(pos));
            let len = b.saturating_sub(a);
            emit(match self.direction {
                Direction::Horizontal => Rect { x: a, y: area.y, width: len, height: area.height },
                Direction::Vertical => Rect { x: area.x, y: a, width: area.width, height: len },
            });
            pos += f64::from(self.spacing) * 100.0;
        }
        true
    }
}

/// An edge in hundredths to a cell, rounded as ratatui rounds the solver's
/// values: to a whole hundredth, then to a cell, halves away from zero.
fn cell(hundredths: f64) -> u16 {
    (hundredths.round() / 100.0).round() as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Constraint::{Fill, Length, Max, Min};

    /// A small deterministic generator, so the samples are the same in every run.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u16) -> u16 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) % u64::from(n)) as u16
        }
    }

    /// Counts of (areas compared, areas the arithmetic answered).
    #[derive(Default)]
    struct Tally {
        compared: usize,
        arithmetic: usize,
    }

    const OFFSETS: [u16; 3] = [0, 1, 7];
    const MAX_SIZE: u16 = 250;

    /// Compares this module's split with ratatui's for every size from 0 to
    /// `MAX_SIZE` along the split (at the offsets in turn and a cross size
    /// that changes with it), in both directions.
    fn same_as_ratatui(t: &mut Tally, constraints: &[Constraint], flex: Flex, spacing: u16) {
        for direction in [Direction::Horizontal, Direction::Vertical] {
            let ours = Layout::new(direction, constraints.iter().copied()).flex(flex).spacing(spacing);
            let theirs = ours.ratatui();
            for size in 0..=MAX_SIZE {
                // One offset per size, in turn (the debug-built solver is slow).
                let off = OFFSETS[usize::from(size) % OFFSETS.len()];
                let cross = size / 3 + off;
                let area = match direction {
                    Direction::Horizontal => Rect { x: off, y: off * 2 + 1, width: size, height: cross },
                    Direction::Vertical => Rect { x: off * 2 + 1, y: off, width: cross, height: size },
                };
                let mut got = Vec::new();
                let answered = ours.solve(area, |r| got.push(r));
                let want = theirs.split(area);
                t.compared += 1;
                if answered {
                    t.arithmetic += 1;
                    assert_eq!(
                        got[..],
                        want[..],
                        "{direction:?} {constraints:?} flex {flex:?} spacing {spacing} in {area:?}"
                    );
                } else {
                    assert!(got.is_empty());
                }
                // And through the public entry points, whichever way they go.
                assert_eq!(ours.split(area)[..], want[..]);
            }
        }
    }

    fn fits(constraints: &[Constraint], spacing: u16) -> u32 {
        let n = constraints.len() as u32;
        constraints
            .iter()
            .map(|c| match *c {
                Length(l) | Max(l) | Min(l) => u32::from(l),
                _ => 0,
            })
            .sum::<u32>()
            + u32::from(spacing) * n.saturating_sub(1)
    }

    /// The arithmetic must answer whenever everything fits, or the test would
    /// prove nothing about the frames actually drawn.
    fn answers_when_it_fits(constraints: &[Constraint], flex: Flex, spacing: u16) {
        let need = fits(constraints, spacing);
        let l = Layout::new(Direction::Vertical, constraints.iter().copied()).flex(flex).spacing(spacing);
        let weights: u32 = constraints
            .iter()
            .map(|c| match *c {
                Fill(w) => u32::from(w),
                Min(_) => 1,
                _ => 0,
            })
            .sum();
        let mins_ok = |size: u32| {
            constraints.iter().all(|c| match *c {
                Min(m) => size - (need - u32::from(m)) >= u32::from(m) * weights,
                _ => true,
            })
        };
        for size in 0..=MAX_SIZE {
            let fit = u32::from(size) >= need && mins_ok(u32::from(size));
            assert_eq!(l.solve(Rect::new(0, 0, 10, size), |_| ()), fit, "{constraints:?} at {size}");
        }
    }

    /// Lengths for the two-segment splits: every small one, then samples up to past `MAX_SIZE`.
    const LENGTHS: [u16; 18] = [0, 1, 2, 3, 4, 5, 6, 8, 11, 16, 24, 40, 79, 120, 200, 249, 250, 251];

    /// `[Fill(1), Length(l)]` (or the other way round) for every `l` in `LENGTHS`.
    fn two(t: &mut Tally, fill_first: bool, flex: Flex, spacing: u16) {
        for l in LENGTHS {
            let c = if fill_first { [Fill(1), Length(l)] } else { [Length(l), Fill(1)] };
            same_as_ratatui(t, &c, flex, spacing);
        }
    }

    #[test]
    fn screen_and_menu_splits() {
        // ui::draw: [Fill(1), Length(1)]; header/body, selector/page: [Length(1), Fill(1)];
        // menu/page: [Length(nav_w), Fill(1)]; form labels: [Length(label_w), Fill(1)];
        // sign-ins: [Length(qh), Fill(1)], [Fill(1), Length(note_h)];
        // QR: [Fill(1), Length(qr_w)] with a gap of 1 or 2.
        let mut t = Tally::default();
        two(&mut t, true, Flex::Start, 0);
        two(&mut t, false, Flex::Start, 0);
        two(&mut t, true, Flex::Start, 1);
        two(&mut t, true, Flex::Start, 2);
        for c in [[Fill(1), Length(1)], [Length(1), Fill(1)]] {
            answers_when_it_fits(&c, Flex::Start, 0);
        }
        assert!(t.arithmetic * 10 > t.compared * 7, "{} of {}", t.arithmetic, t.compared);
    }

    #[test]
    fn centred_boxes() {
        // The sign-in, device-code and dialog boxes: [Length(w)] centred, both ways.
        let mut t = Tally::default();
        for w in (0..=24).chain([39, 40, 79, 80, 149, 249, 250, 251]) {
            same_as_ratatui(&mut t, &[Length(w)], Flex::Center, 0);
        }
        answers_when_it_fits(&[Length(40)], Flex::Center, 0);
        assert!(t.arithmetic * 10 > t.compared * 7, "{} of {}", t.arithmetic, t.compared);
    }

    #[test]
    fn sign_in_and_password_forms() {
        let mut t = Tally::default();
        // The sign-in box: ten lengths (one of them 0 without the device code), Min(2), demo rows.
        for device in 0..=1 {
            for demo in 0..=5 {
                let mut c = vec![Length(1); 8];
                c.extend([Length(device), Length(1), Min(2), Length(demo)]);
                same_as_ratatui(&mut t, &c, Flex::Start, 0);
                answers_when_it_fits(&c, Flex::Start, 0);
            }
        }
        // The password form: nine lengths, then the rules.
        let mut c = vec![Length(1); 9];
        c.push(Fill(1));
        same_as_ratatui(&mut t, &c, Flex::Start, 0);
        // The device-code box: [Length(3), Length(1), Fill(1)].
        same_as_ratatui(&mut t, &[Length(3), Length(1), Fill(1)], Flex::Start, 0);
        assert!(t.arithmetic * 10 > t.compared * 8, "{} of {}", t.arithmetic, t.compared);
    }

    #[test]
    fn page_splits() {
        let mut t = Tally::default();
        // Devices and organizations: [Fill(1), Length(detail_h), Length(note_h)].
        for detail in [0, 1, 2, 3, 5, 8, 14] {
            for note in [0, 2, 4] {
                same_as_ratatui(&mut t, &[Fill(1), Length(detail), Length(note)], Flex::Start, 0);
            }
        }
        // Security info: [Length(1), Length(1), Fill(1), Length(2 + extra)].
        for extra in 0..=6 {
            same_as_ratatui(&mut t, &[Length(1), Length(1), Fill(1), Length(2 + extra)], Flex::Start, 0);
        }
        // SSH keys: eight rows with a Max for the table (sampled).
        let mut rng = Lcg(15);
        for _ in 0..15 {
            let c = [
                Length(rng.below(4)),
                Length(rng.below(2)),
                Max(rng.below(30)),
                Length(rng.below(2)),
                Length(rng.below(5)),
                Fill(1),
                Length(rng.below(4)),
                Length(rng.below(3)),
            ];
            same_as_ratatui(&mut t, &c, Flex::Start, 0);
            answers_when_it_fits(&c, Flex::Start, 0);
        }
        assert!(t.arithmetic * 10 > t.compared * 8, "{} of {}", t.arithmetic, t.compared);
    }

    #[test]
    fn table_columns() {
        // ui::table splits the header row with a gap of 1 for these column sets.
        let mut t = Tally::default();
        let mut rng = Lcg(1015);
        for _ in 0..5 {
            let (a, b, d) = (rng.below(40), rng.below(20), rng.below(20));
            for c in [
                vec![Length(11), Fill(1), Length(a)],
                vec![Length(11), Fill(3), Length(a), Fill(2), Length(b)],
                vec![Fill(1), Length(a)],
                vec![Fill(2), Length(12), Fill(2)],
                vec![Fill(2), Fill(2), Length(a), Length(b), Length(d)],
                vec![Length(a), Fill(1)],
                vec![Length(18), Fill(1), Length(8)],
                vec![Length(a), Length(b), Fill(1)],
            ] {
                same_as_ratatui(&mut t, &c, Flex::Start, 1);
                answers_when_it_fits(&c, Flex::Start, 1);
            }
        }
        assert!(t.arithmetic * 10 > t.compared * 7, "{} of {}", t.arithmetic, t.compared);
    }

    #[test]
    fn no_constraints_and_other_flex_go_to_ratatui() {
        let l = Layout::horizontal([Length(3), Length(4)]).flex(Flex::SpaceBetween);
        assert!(!l.solve(Rect::new(0, 0, 20, 1), |_| ()));
        assert_eq!(l.split(Rect::new(0, 0, 20, 1))[..], l.ratatui().split(Rect::new(0, 0, 20, 1))[..]);
        let empty = Layout::vertical(Vec::<Constraint>::new());
        assert_eq!(empty.split(Rect::new(2, 3, 20, 10))[..], empty.ratatui().split(Rect::new(2, 3, 20, 10))[..]);
    }
}
