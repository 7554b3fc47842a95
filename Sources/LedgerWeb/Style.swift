/// The one style sheet, built into the binary and served from the server's own origin (the
/// pages' Content-Security-Policy allows no other, and no inline style). Fonts are the
/// reader's own: Noto Sans CJK on Debian, the system's CJK fonts elsewhere.
package enum Style {
    package static let path = "/assets/app.css"

    package static let css = """
    :root { --ink: #1b1f24; --muted: #4a5560; --line: #c9d1d9; --soft: #f3f5f7; --accent: #0b5cad; --bad: #a3141b; --warn: #7a4a00; --good: #17603a; }
    * { box-sizing: border-box; }
    html { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: #fff; line-height: 1.5; }
    body { margin: 0; }
    a { color: var(--accent); }
    .skip { position: absolute; left: -9999px; }
    .skip:focus { left: 0.5rem; top: 0.5rem; background: #fff; padding: 0.25rem 0.5rem; z-index: 10; }
    header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.25rem; padding: 0.6rem 1rem; background: #0d2a47; color: #fff; }
    header.top a, header.top .brand { color: #fff; }
    header.top .brand { font-weight: 700; text-decoration: none; }
    header.top nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; margin: 0; padding: 0; }
    header.top nav a[aria-current] { font-weight: 700; text-decoration: underline; }
    header.top .who { margin-left: auto; display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    main { padding: 1rem; max-width: 80rem; margin: 0 auto; }
    h1 { font-size: 1.5rem; margin: 0.25rem 0 1rem; }
    h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
    h3 { font-size: 1.05rem; margin: 1rem 0 0.25rem; }
    form.inline { display: inline; margin: 0; }
    button, .button { font: inherit; padding: 0.35rem 0.9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; text-decoration: none; display: inline-block; }
    button.secondary, header.top button { background: #fff; color: var(--accent); }
    input, select, textarea { font: inherit; padding: 0.3rem 0.4rem; border: 1px solid #6b7682; border-radius: 4px; max-width: 100%; }
    textarea { width: 100%; min-height: 12rem; font-family: "Noto Sans Mono CJK SC", monospace; }
    label { display: block; font-weight: 600; margin-top: 0.5rem; }
    label.check { font-weight: 400; }
    .toolbar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin: 0 0 1rem; }
    .toolbar label { margin: 0; }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.95rem; }
    caption { text-align: left; font-weight: 700; padding: 0.25rem 0; }
    th, td { border-bottom: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
    thead th { background: var(--soft); white-space: nowrap; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    tbody th[scope=rowgroup] { background: #e6edf4; text-align: left; }
    tbody th[scope=row] { white-space: nowrap; }
    tr.voided td { color: var(--muted); text-decoration: line-through; }
    .level-lost_contact, .kind-serious_violation, .kind-relapse_report { color: var(--bad); font-weight: 700; }
    .level-suspected_lost_contact { color: var(--warn); font-weight: 700; }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(13rem, 100%), 1fr)); gap: 0.75rem; margin: 0 0 1rem; }
    .card { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem; }
    .card .value { font-size: 1.6rem; font-weight: 700; }
    .card .published { color: var(--muted); font-size: 0.9rem; }
    dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0 0 1rem; }
    dl.summary dt { font-weight: 600; }
    dl.summary dd { margin: 0; }
    .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(24rem, 100%), 1fr)); gap: 1rem; }
    figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem; }
    figcaption { font-weight: 700; }
    svg.chart { width: 100%; height: auto; display: block; }
    svg.chart text { font-size: 15px; fill: var(--ink); }
    svg.chart .axis { stroke: #6b7682; stroke-width: 1; }
    svg.chart .grid { stroke: #dde3e8; stroke-width: 1; }
    .series-0 { stroke: #0b5cad; fill: #0b5cad; }
    .series-1 { stroke: #b35900; fill: #b35900; }
    .series-2 { stroke: #17603a; fill: #17603a; }
    svg.chart polyline { fill: none; stroke-width: 2; }
    .legend { display: flex; gap: 1rem; flex-wrap: wrap; font-size: 0.9rem; }
    .legend .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: middle; }
    .swatch.series-0 { background: #0b5cad; } .swatch.series-1 { background: #b35900; } .swatch.series-2 { background: #17603a; }
    details.record { border: 1px solid var(--line); border-radius: 6px; padding: 0.25rem 0.75rem; margin: 0.5rem 0; }
    details.record[open] { padding-bottom: 0.75rem; }
    details.record summary { cursor: pointer; font-weight: 600; padding: 0.25rem 0; }
    .field-error, .error-message { color: var(--bad); font-weight: 600; margin: 0.25rem 0; }
    .notice { border-left: 4px solid var(--good); padding: 0.5rem 0.75rem; background: #eef7f1; margin: 0 0 1rem; }
    .warning { border-left: 4px solid var(--bad); padding: 0.5rem 0.75rem; background: #fbeeee; margin: 0 0 1rem; }
    .muted { color: var(--muted); }
    code, .hash { font-family: "Noto Sans Mono CJK SC", monospace; word-break: break-all; }
    .print-only { display: none; }
    @media (max-width: 40rem) {
      main { padding: 0.6rem; }
      table { font-size: 0.88rem; }
      th, td { padding: 0.3rem 0.3rem; }
      header.top .who { margin-left: 0; }
      .hide-narrow { display: none; }
    }
    @media print {
      @page { size: A4; margin: 15mm; }
      header.top, form, .no-print, details.record { display: none; }
      .print-only { display: block; }
      main { max-width: none; padding: 0; }
      a { color: inherit; text-decoration: none; }
      table { font-size: 9.5pt; }
    }
    """
}
