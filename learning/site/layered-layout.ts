/**
 * A layered (Sugiyama-style) layout of a small directed acyclic graph, left to right: each node's
 * column is its longest path from a source; an edge that spans several columns gets a waypoint in
 * each column it crosses, so it never runs through a node; rows are ordered by the barycentre of
 * their neighbours over a few sweeps to reduce crossings.
 */
export interface LayoutInput {
  /** Node ids in a stable order (ties keep it). */
  nodes: readonly string[];
  /** [from, to]: `from` must come before `to`. */
  edges: readonly (readonly [string, string])[];
}

export interface Layout {
  columns: number;
  rows: number;
  /** Column and row of every node. */
  positions: ReadonlyMap<string, { column: number; row: number }>;
  /** Every edge as the cells it passes through, from its source to its target. */
  routes: { from: string; to: string; cells: { column: number; row: number }[] }[];
}

export function layeredLayout({ nodes, edges }: LayoutInput): Layout {
  const column = new Map(nodes.map((id) => [id, 0]));
  // Longest path: relax until stable; terminates because the graph is acyclic.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [from, to] of edges) {
      if (column.get(to)! < column.get(from)! + 1) {
        column.set(to, column.get(from)! + 1);
        changed = true;
      }
    }
  }
  const columns = Math.max(0, ...column.values()) + 1;
  const layers: string[][] = Array.from({ length: columns }, () => []);
  for (const id of nodes) layers[column.get(id)!]!.push(id);

  // Chains of virtual nodes for long edges.
  const chains = edges.map(([from, to]) => {
    const chain = [from];
    for (let c = column.get(from)! + 1; c < column.get(to)!; c++) {
      const virtual = `\u0000${from}>${to}@${c}`;
      layers[c]!.push(virtual);
      chain.push(virtual);
    }
    chain.push(to);
    return { from, to, chain };
  });
  const neighbours = new Map<string, { left: string[]; right: string[] }>();
  const entry = (id: string) => {
    if (!neighbours.has(id)) neighbours.set(id, { left: [], right: [] });
    return neighbours.get(id)!;
  };
  for (const { chain } of chains) {
    for (let i = 0; i + 1 < chain.length; i++) {
      entry(chain[i]!).right.push(chain[i + 1]!);
      entry(chain[i + 1]!).left.push(chain[i]!);
    }
  }

  const rowOf = new Map<string, number>();
  const index = () => {
    for (const layer of layers) {
      for (const [row, id] of layer.entries()) rowOf.set(id, row);
    }
  };
  index();
  const barycentre = (id: string, side: 'left' | 'right') => {
    const linked = neighbours.get(id)?.[side] ?? [];
    return linked.length ? linked.reduce((sum, n) => sum + rowOf.get(n)!, 0) / linked.length : rowOf.get(id)!;
  };
  for (let sweep = 0; sweep < 4; sweep++) {
    const forward = sweep % 2 === 0;
    const order = forward ? layers.keys() : [...layers.keys()].reverse();
    for (const c of order) {
      const side = forward ? 'left' : 'right';
      const keyed = layers[c]!.map((id, i) => ({ id, key: barycentre(id, side), i }));
      keyed.sort((a, b) => a.key - b.key || a.i - b.i);
      layers[c] = keyed.map((k) => k.id);
      index();
    }
  }

  const rows = Math.max(0, ...layers.map((layer) => layer.length));
  // Centre short columns vertically.
  const position = (id: string) => {
    const c = id.startsWith('\u0000') ? Number(id.split('@').at(-1)) : column.get(id)!;
    return { column: c, row: rowOf.get(id)! + (rows - layers[c]!.length) / 2 };
  };
  return {
    columns,
    rows,
    positions: new Map(nodes.map((id) => [id, position(id)])),
    routes: chains.map(({ from, to, chain }) => ({ from, to, cells: chain.map(position) })),
  };
}
