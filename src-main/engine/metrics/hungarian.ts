/**
 * Linear sum assignment (the assignment problem) on a rectangular cost matrix, like
 * `scipy.optimize.linear_sum_assignment`: shortest augmenting paths with dual potentials
 * (Jonker–Volgenant as described by Crouse, "On implementing 2D rectangular assignment
 * algorithms", IEEE TAES 2016). O(r² c) for r ≤ c.
 */

export interface Assignment {
  /** Row index of each assigned pair, ascending. */
  rowInd: Int32Array;
  /** Column assigned to rowInd[m]. */
  colInd: Int32Array;
}

/**
 * Assigns each row to a distinct column (or each column to a distinct row when there are fewer
 * columns) minimising — or with `maximize` maximising — the total cost. min(rows, cols) pairs are returned.
 *
 * @param cost rows × cols, row-major; every entry must be finite.
 */
export function linearSumAssignment(cost: Float64Array, rows: number, cols: number, maximize = false): Assignment {
  if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows >= 0 && cols >= 0)) {
    throw new RangeError(`invalid shape ${rows} × ${cols}`);
  }
  if (cost.length !== rows * cols) throw new RangeError(`cost has length ${cost.length}, expected ${rows} × ${cols}`);
  if (rows === 0 || cols === 0) return { rowInd: new Int32Array(0), colInd: new Int32Array(0) };

  // Work on nr ≤ nc rows, transposing if needed; minimise −cost to maximise.
  const transpose = cols < rows;
  const nr = transpose ? cols : rows;
  const nc = transpose ? rows : cols;
  const c = new Float64Array(nr * nc);
  const sign = maximize ? -1 : 1;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) {
      const v = cost[r * cols + k];
      if (!Number.isFinite(v)) throw new RangeError(`cost matrix entry (${r}, ${k}) is not finite: ${v}`);
      if (transpose) c[k * nc + r] = sign * v;
      else c[r * nc + k] = sign * v;
    }
  }

  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortest = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const SR = new Uint8Array(nr);
  const SC = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let curRow = 0; curRow < nr; curRow++) {
    // Dijkstra-like search for the shortest augmenting path from curRow to a free column.
    let minVal = 0;
    let numRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    SR.fill(0);
    SC.fill(0);
    shortest.fill(Infinity);
    let sink = -1;
    let i = curRow;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      SR[i] = 1;
      const rowOff = i * nc;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it];
        const r = minVal + c[rowOff + j] - u[i] - v[j];
        if (r < shortest[j]) {
          path[j] = i;
          shortest[j] = r;
        }
        if (shortest[j] < lowest || (shortest[j] === lowest && row4col[j] === -1)) {
          lowest = shortest[j];
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Infinity) throw new RangeError('cost matrix is infeasible');
      const j = remaining[index];
      if (row4col[j] === -1) sink = j;
      else i = row4col[j];
      SC[j] = 1;
      remaining[index] = remaining[--numRemaining];
    }

    // Update the dual potentials.
    u[curRow] += minVal;
    for (let r = 0; r < nr; r++) if (SR[r] && r !== curRow) u[r] += minVal - shortest[col4row[r]];
    for (let j = 0; j < nc; j++) if (SC[j]) v[j] -= minVal - shortest[j];

    // Augment along the path back to curRow.
    let j = sink;
    for (;;) {
      const r = path[j];
      row4col[j] = r;
      const previous = col4row[r];
      col4row[r] = j;
      j = previous;
      if (r === curRow) break;
    }
  }

  const rowInd = new Int32Array(nr);
  const colInd = new Int32Array(nr);
  if (transpose) {
    // Pairs (col4row[r], r) sorted by the original row index col4row[r].
    const order = Array.from({ length: nr }, (_, r) => r).sort((a, b) => col4row[a] - col4row[b]);
    order.forEach((r, m) => {
      rowInd[m] = col4row[r];
      colInd[m] = r;
    });
  } else {
    for (let r = 0; r < nr; r++) {
      rowInd[r] = r;
      colInd[r] = col4row[r];
    }
  }
  return { rowInd, colInd };
}

/** Total cost of an assignment. */
export function assignmentCost(cost: Float64Array, cols: number, a: Assignment): number {
  let total = 0;
  for (let m = 0; m < a.rowInd.length; m++) total += cost[a.rowInd[m] * cols + a.colInd[m]];
  return total;
}
