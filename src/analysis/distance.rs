//! Edit distance between words, for typo correction against the content's vocabulary.

/// Whether two words are within `d` edits (insert, delete, substitute, swap neighbours).
pub fn within(a: &str, b: &str, d: usize) -> bool {
    // Words are short: rows live on the stack (longer words fall back to the heap).
    const MAX: usize = 48;
    let (mut ab, mut bb) = (['\0'; MAX], ['\0'; MAX]);
    let (mut n, mut m) = (0, 0);
    for c in a.chars() {
        if n == MAX {
            return within_long(a, b, d);
        }
        ab[n] = c;
        n += 1;
    }
    for c in b.chars() {
        if m == MAX {
            return within_long(a, b, d);
        }
        bb[m] = c;
        m += 1;
    }
    if n.abs_diff(m) > d {
        return false;
    }
    let mut rows = [[0usize; MAX + 1]; 3];
    distance_rows(&ab[..n], &bb[..m], d, &mut rows)
}

fn within_long(a: &str, b: &str, d: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > d {
        return false;
    }
    let mut rows = vec![vec![0usize; b.len() + 1]; 3];
    let [r0, r1, r2] = &mut rows[..] else {
        unreachable!()
    };
    osa(&a, &b, d, [r0, r1, r2])
}

fn distance_rows<const W: usize>(
    a: &[char],
    b: &[char],
    d: usize,
    rows: &mut [[usize; W]; 3],
) -> bool {
    let [r0, r1, r2] = rows;
    osa(a, b, d, [&mut r0[..], &mut r1[..], &mut r2[..]])
}

/// Optimal string alignment distance ≤ `d`, with early exit; rows: two back, one back,
/// current.
fn osa(a: &[char], b: &[char], d: usize, rows: [&mut [usize]; 3]) -> bool {
    let [mut prev2, mut prev, mut cur] = rows;
    let (n, m) = (a.len(), b.len());
    for (j, v) in prev.iter_mut().enumerate().take(m + 1) {
        *v = j;
    }
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > d {
            return false;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m] <= d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert!(within("synkronisering", "synkroniserign", 1));
        assert!(within("passord", "pasord", 1));
        assert!(!within("passord", "pasrod", 1));
        assert!(within("passord", "pasrod", 2));
    }
}
