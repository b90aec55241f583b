//! Work on many forms split across the machine's threads: what the workbench does with a
//! folder's forms on every edit (load them, score them, compare them), in one place so
//! that the server and the benchmarks measure the same thing.
//!
//! Input: a slice and the work for a piece of it. Output: the pieces' results in the
//! slice's order. Invariants: with the `parallel` feature the pieces run on rayon's
//! threads (four pieces a thread, so that a slow piece does not leave a thread idle);
//! without it, one piece on the caller's thread. The results are the same either way.

/// `work` on consecutive pieces of `items`, each given the index of its first item; the
/// results in order.
pub fn pieces<'a, T, R>(items: &'a [T], work: impl Fn(usize, &'a [T]) -> R + Sync + Send) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        let size = items
            .len()
            .div_ceil(rayon::current_num_threads().max(1) * 4)
            .max(1);
        items
            .par_chunks(size)
            .enumerate()
            .map(|(i, piece)| work(i * size, piece))
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        vec![work(0, items)]
    }
}

/// `work` on each of `items`, split across threads; the results in order.
pub fn each<'a, T, R>(items: &'a [T], work: impl Fn(&'a T) -> R + Sync + Send) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    pieces(items, |_, piece| {
        piece.iter().map(&work).collect::<Vec<R>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn pieces_keep_the_order_and_know_where_they_start() {
        let items: Vec<usize> = (0..1000).collect();
        let starts = super::pieces(&items, |start, piece| {
            assert_eq!(piece[0], start);
            piece.len()
        });
        assert_eq!(starts.iter().sum::<usize>(), 1000);
        assert_eq!(super::each(&items, |i| i * 2)[999], 1998);
        assert!(super::each(&[] as &[usize], |i| *i).is_empty());
    }
}
