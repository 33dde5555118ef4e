// The lab page's CSS, served as /lab.css.
extension LabPage {
    /// The page's style sheet, served as /lab.css.
    static let style = #"""
        /* The SoundStack lab: one column on a phone, two from 800 px; light and dark from the system. */

        :root {
          color-scheme: light dark;
          --bg: #f6f7f9;
          --fg: #1b1e24;
          --muted: #5a6270;
          --panel: #ffffff;
          --border: #c9ced8;
          --accent: #1f5fbf;
          --accent-fg: #ffffff;
          --focus: #d9480f;
          --ok: #1d7a3a;
          --ok-bg: #e7f5ec;
          --bad: #b3261e;
          --bad-bg: #fdeceb;
          --code-bg: #eef1f5;
          --radius: 6px;
          --gap: 1rem;
        }

        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #14171c;
            --fg: #e6e8ec;
            --muted: #a3abb8;
            --panel: #1d2128;
            --border: #3a414d;
            --accent: #6ea3ff;
            --accent-fg: #0d1117;
            --focus: #ffa94d;
            --ok: #6fd394;
            --ok-bg: #16301f;
            --bad: #ff8a80;
            --bad-bg: #3a1d1b;
            --code-bg: #252a33;
          }
        }

        *, *::before, *::after { box-sizing: border-box; }

        [hidden] { display: none !important; }

        html { -webkit-text-size-adjust: 100%; }

        body {
          margin: 0;
          background: var(--bg);
          color: var(--fg);
          font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
          overflow-wrap: break-word;
        }

        h1, h2, h3 { line-height: 1.2; margin: 0 0 0.5rem; }
        h1 { font-size: 1.6rem; }
        h2 { font-size: 1.3rem; margin-top: 0.5rem; }
        h3 { font-size: 1.1rem; margin-top: 1.5rem; }

        a { color: var(--accent); }

        :focus-visible {
          outline: 3px solid var(--focus);
          outline-offset: 2px;
        }

        .skip {
          position: absolute;
          left: 0.5rem;
          top: -3rem;
          padding: 0.4rem 0.8rem;
          background: var(--panel);
          border: 1px solid var(--border);
          z-index: 10;
        }
        .skip:focus { top: 0.5rem; }

        .top { padding: 1rem var(--gap) 0.25rem; max-width: 80rem; margin: 0 auto; }
        .top p { margin: 0; color: var(--muted); max-width: 60rem; }

        /* The status line and the busy indicator stay in view while the page scrolls. */
        .statusbar {
          position: sticky;
          top: 0;
          z-index: 5;
          display: flex;
          flex-wrap: wrap;
          align-items: center;
          gap: 0.25rem 1rem;
          max-width: 80rem;
          margin: 0.5rem auto 0;
          padding: 0.4rem var(--gap);
          background: var(--bg);
          border-bottom: 1px solid var(--border);
        }
        #status { margin: 0; flex: 1 1 20rem; min-height: 1.5em; }
        @media (max-width: 799px) { .statusbar { font-size: 0.9rem; } }
        #status.error { color: var(--bad); font-weight: 600; }
        #status.error::before { content: "⚠ "; }

        .busy { display: inline-flex; align-items: center; gap: 0.4rem; color: var(--muted); }
        .spinner {
          width: 1rem;
          height: 1rem;
          border: 2px solid var(--border);
          border-top-color: var(--accent);
          border-radius: 50%;
          animation: spin 0.8s linear infinite;
        }
        @keyframes spin { to { transform: rotate(360deg); } }
        @media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }

        /* Layout: one column, two from 800 px (controls on the left, results on the right). */
        .lab {
          display: grid;
          grid-template-columns: minmax(0, 1fr);
          gap: var(--gap);
          max-width: 80rem;
          margin: 0 auto;
          padding: var(--gap);
        }
        @media (min-width: 800px) {
          .lab { grid-template-columns: minmax(18rem, 24rem) minmax(0, 1fr); align-items: start; }
        }

        .panel {
          background: var(--panel);
          border: 1px solid var(--border);
          border-radius: var(--radius);
          padding: var(--gap);
          min-width: 0;
        }

        /* Form controls */
        fieldset {
          border: 1px solid var(--border);
          border-radius: var(--radius);
          margin: 0 0 var(--gap);
          padding: 0.5rem 0.75rem 0.75rem;
          min-width: 0;
        }
        legend { font-weight: 600; padding: 0 0.25rem; }
        fieldset.choice { border: none; padding: 0; margin: 0 0 0.5rem; }
        fieldset.choice legend { font-weight: normal; color: var(--muted); padding: 0; }

        label { display: block; margin-top: 0.5rem; }
        label.check { display: flex; align-items: center; gap: 0.4rem; }
        fieldset.choice label { display: inline-flex; align-items: center; gap: 0.4rem; margin-right: 1rem; }

        input, select, textarea, button { font: inherit; color: inherit; }

        input[type="text"], input[type="number"], select, textarea {
          display: block;
          width: 100%;
          max-width: 100%;
          margin-top: 0.2rem;
          padding: 0.35rem 0.5rem;
          background: var(--bg);
          border: 1px solid var(--border);
          border-radius: 4px;
        }
        textarea { resize: vertical; font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
        input[type="file"] { display: block; max-width: 100%; margin-top: 0.2rem; }
        input[type="range"] { display: block; width: 100%; margin: 0.3rem 0 0; accent-color: var(--accent); }
        input[type="checkbox"], input[type="radio"] { width: 1.1rem; height: 1.1rem; accent-color: var(--accent); }
        input:disabled, select:disabled, textarea:disabled, input.unused { opacity: 0.55; }

        #ebn0-value { font-weight: 700; font-variant-numeric: tabular-nums; }

        .row { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0 0.75rem; }
        .row .field { flex: 1 1 9rem; min-width: 0; }
        .row .field.narrow { flex: 0 1 7rem; }

        .hint { font-size: 0.875rem; color: var(--muted); margin: 0.25rem 0 0; }
        .hint.over { color: var(--bad); font-weight: 600; }

        .actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 0.75rem; }
        .actions .hint { flex: 1 1 12rem; margin: 0; }

        button {
          padding: 0.5rem 1.2rem;
          border: 1px solid var(--accent);
          border-radius: var(--radius);
          background: var(--accent);
          color: var(--accent-fg);
          font-weight: 600;
          cursor: pointer;
        }
        button[type="button"] { background: transparent; color: var(--accent); margin-top: 0.5rem; }
        .actions button[type="button"] { margin-top: 0; }
        button:hover:not(:disabled) { filter: brightness(1.1); }
        button:disabled { opacity: 0.5; cursor: not-allowed; }
        #send { font-size: 1.1rem; padding: 0.6rem 2rem; }

        /* Results */
        .note {
          margin: 0 0 0.75rem;
          padding: 0.6rem 0.8rem;
          border-left: 4px solid var(--accent);
          background: var(--code-bg);
          border-radius: 0 var(--radius) var(--radius) 0;
        }
        .results[aria-busy="true"] { opacity: 0.7; }

        .listen {
          display: grid;
          grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr));
          gap: var(--gap);
        }
        .player-title { margin: 0 0 0.25rem; font-size: 0.9rem; color: var(--muted); }
        audio { display: block; width: 100%; }
        .download { display: inline-block; margin-top: 0.25rem; font-size: 0.9rem; }

        .plot-figure { margin: 0 0 var(--gap); }
        .plot { width: 100%; max-width: 100%; overflow: hidden; border: 1px solid var(--border); border-radius: 4px; }
        .plot svg { display: block; width: 100%; height: auto; }
        figcaption { font-size: 0.875rem; color: var(--muted); margin-top: 0.25rem; }

        /* The frame table scrolls sideways inside its own box, never the page. */
        .table-scroll {
          width: 100%;
          max-width: 100%;
          overflow-x: auto;
          border: 1px solid var(--border);
          border-radius: 4px;
        }
        table { border-collapse: collapse; width: 100%; min-width: 40rem; font-size: 0.9rem; }
        caption { text-align: left; padding: 0.4rem 0.6rem; color: var(--muted); font-size: 0.875rem; }
        th, td { padding: 0.3rem 0.6rem; text-align: left; border-top: 1px solid var(--border); vertical-align: top; }
        th { background: var(--code-bg); white-space: nowrap; }
        td { font-variant-numeric: tabular-nums; }
        td:nth-child(-n+6) { white-space: nowrap; }
        td:last-child { min-width: 16rem; }
        tr.frame.ok .frame-status { color: var(--ok); }
        tr.frame.failed { background: var(--bad-bg); }
        tr.frame.failed td:first-child { box-shadow: inset 4px 0 0 var(--bad); }
        tr.frame.failed .frame-status { color: var(--bad); font-weight: 700; }

        .rounds { margin: 0.5rem 0 0; padding-left: 1.25rem; font-size: 0.9rem; }
        .rounds li.failed { color: var(--bad); }

        .verdict { margin: 0 0 0.4rem; font-weight: 600; }
        .verdict.ok { color: var(--ok); }
        .verdict.failed { color: var(--bad); }

        pre {
          margin: 0;
          padding: 0.6rem 0.8rem;
          max-height: 20rem;
          overflow: auto;
          white-space: pre-wrap;
          overflow-wrap: anywhere;
          background: var(--code-bg);
          border-radius: 4px;
          font: 0.9rem/1.4 ui-monospace, "SF Mono", Menlo, Consolas, monospace;
        }
        pre:empty::before { content: "(nothing was delivered)"; color: var(--muted); font-style: italic; }
        #sent-text:empty::before { content: "(empty)"; }
        details { margin-top: 0.5rem; }
        summary { cursor: pointer; color: var(--accent); }
        details pre { margin-top: 0.4rem; }

        /* The stack: seven boxes, layer 7 on top; a failed layer stands out, unreached ones fade. */
        .stack { list-style: none; margin: 0.5rem 0 0; padding: 0; display: grid; gap: 0.5rem; }
        .layer {
          position: relative;
          padding: 0.6rem 0.8rem;
          border: 1px solid var(--border);
          border-left: 6px solid var(--ok);
          border-radius: var(--radius);
          background: var(--panel);
        }
        .layer + .layer::before {
          content: "";
          position: absolute;
          top: calc(-0.5rem - 1px);
          left: 2rem;
          height: 0.5rem;
          border-left: 2px solid var(--border);
        }
        .layer-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 0.6rem; }
        .layer-number {
          font-weight: 700;
          padding: 0 0.4rem;
          border-radius: 4px;
          background: var(--code-bg);
          font-variant-numeric: tabular-nums;
        }
        .layer-name { font-weight: 700; }
        .layer-protocol { color: var(--muted); }
        .layer-mark { margin-left: auto; font-weight: 700; white-space: nowrap; }
        .layer.ok .layer-mark { color: var(--ok); }
        .layer-facts { margin: 0.4rem 0 0; display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 1rem; }
        .layer-facts dt { font-size: 0.8rem; color: var(--muted); margin-top: 0.25rem; }
        .layer-facts dd { margin: 0; }
        @media (min-width: 1100px) {
          .layer-facts { grid-template-columns: max-content minmax(0, 1fr); }
          .layer-facts dt { margin-top: 0.1rem; }
        }
        .layer-story { margin: 0.4rem 0 0; font-size: 0.875rem; color: var(--muted); }
        .layer-error { margin: 0.4rem 0 0; color: var(--bad); font-weight: 700; }
        .layer.failed { border-color: var(--bad); border-left-color: var(--bad); background: var(--bad-bg); }
        .layer.failed .layer-mark { color: var(--bad); }
        .layer.not-reached { opacity: 0.55; border-style: dashed; border-left-color: var(--border); }
        .layer.not-reached .layer-mark { color: var(--muted); font-weight: 400; }
        """#
}
