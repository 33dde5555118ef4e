// The lab page's HTML, served at / by `soundstack lab`.
extension LabPage {
    /// The page.
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>The SoundStack lab</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/lab.css">
        <script src="/lab.js" defer></script>
        </head>
        <body data-state="loading">
        <a class="skip" href='#results'>Skip to the results</a>
        <header class="top">
          <h1>The SoundStack lab</h1>
          <p>Send a message down the seven OSI layers and out as sound, turn the noise up, listen to it,
            and watch each layer's check catch the damage on the way back up.</p>
        </header>

        <div class="statusbar">
          <p id="status" role="status" aria-live="polite">Loading the lab…</p>
          <span id="busy" class="busy" hidden><span class="spinner" aria-hidden="true"></span>Working…</span>
        </div>

        <main class="lab">
        <section class="panel controls" aria-labelledby="controls-title">
          <h2 id="controls-title">Send a message</h2>
          <form id="send-form">
            <fieldset>
              <legend>1. What to send (layer 7)</legend>
              <fieldset class="choice">
                <legend>Send it as</legend>
                <label><input type="radio" name="kind" id="kind-text" value="text" checked> plain text</label>
                <label><input type="radio" name="kind" id="kind-http" value="http"> an HTTP request</label>
              </fieldset>
              <div id="text-fields">
                <label for="message">Message</label>
                <textarea id="message" rows="4" spellcheck="false">Hello, layer 1!</textarea>
                <p id="message-bytes" class="hint"></p>
                <label for="message-file">…or load it from a text file</label>
                <input type="file" id="message-file" accept="text/*,.txt,.md,.json,.csv,.html,.xml">
              </div>
              <div id="http-fields" hidden>
                <div class="row">
                  <div class="field narrow">
                    <label for="http-method">Method</label>
                    <select id="http-method">
                      <option>GET</option><option selected>POST</option><option>PUT</option>
                      <option>PATCH</option><option>DELETE</option><option>HEAD</option><option>OPTIONS</option>
                    </select>
                  </div>
                  <div class="field">
                    <label for="http-url">URL</label>
                    <input type="text" id="http-url" inputmode="url" spellcheck="false"
                      value="http://10.0.0.2:8080/api/messages">
                  </div>
                </div>
                <label for="http-headers">Headers, one “Name: value” per line</label>
                <textarea id="http-headers" rows="3" spellcheck="false">Content-Type: text/plain</textarea>
                <label for="http-body">Body</label>
                <textarea id="http-body" rows="4" spellcheck="false">Hello, layer 7!</textarea>
              </div>
            </fieldset>

            <fieldset>
              <legend>2. How it sounds (layer 1)</legend>
              <label for="mode">Mode</label>
              <select id="mode"></select>
              <p id="mode-summary" class="hint"></p>
              <div class="row">
                <div class="field">
                  <label for="line-code">Line code</label>
                  <select id="line-code"><option value="">the mode's own</option></select>
                </div>
                <div class="field">
                  <label for="fec">Error correction (FEC)</label>
                  <select id="fec"><option value="">the mode's own</option></select>
                </div>
              </div>
            </fieldset>

            <fieldset>
              <legend>3. The channel (noise and damage)</legend>
              <label for="ebn0">Signal to noise, Eb/N0:
                <output id="ebn0-value" for="ebn0">10.0</output> <span id="ebn0-unit">dB</span></label>
              <input type="range" id="ebn0" min="0" max="20" step="0.5" value="10"
                aria-describedby="ebn0-hint">
              <p id="ebn0-hint" class="hint">Energy per data bit over noise: lower is noisier.</p>
              <label class="check"><input type="checkbox" id="no-noise"> no noise at all</label>
              <div class="row">
                <div class="field">
                  <label for="drift">Clock drift (ppm)</label>
                  <input type="number" id="drift" min="-30000" max="30000" step="any" value="0">
                </div>
                <div class="field">
                  <label for="offset">Frequency offset (Hz)</label>
                  <input type="number" id="offset" min="-100" max="100" step="any" value="0">
                </div>
              </div>
              <div class="row">
                <div class="field">
                  <label for="bursts">Noise bursts (20 ms each)</label>
                  <input type="number" id="bursts" min="0" max="10" step="1" value="0">
                </div>
                <div class="field">
                  <label for="dropouts">Dropouts (40 ms each)</label>
                  <input type="number" id="dropouts" min="0" max="10" step="1" value="0">
                </div>
              </div>
              <label class="check"><input type="checkbox" id="phone"> telephone band (300–3400 Hz, µ-law)</label>
              <label for="seed">Noise seed</label>
              <input type="number" id="seed" min="0" max="4294967296" step="1" value="7">
            </fieldset>

            <fieldset>
              <legend>4. Recovery</legend>
              <label for="resends">Rounds of resending what was lost</label>
              <input type="number" id="resends" min="0" max="10" step="1" value="3">
            </fieldset>

            <div class="actions">
              <button type="submit" id="send">Send</button>
              <p class="hint">Enter in a field, or Ctrl+Enter anywhere in the form, sends too.</p>
            </div>
          </form>

          <h2 id="decode-title">Decode a recording</h2>
          <form id="decode-form" aria-labelledby="decode-title">
            <fieldset>
              <legend>An audio file</legend>
              <label for="upload">Audio file (WAV, FLAC, OGG…)</label>
              <input type="file" id="upload" accept="audio/*,.wav,.flac,.ogg,.oga,.mp3">
              <label class="check"><input type="checkbox" id="decode-any" checked> listen for every mode</label>
              <p class="hint">Untick to listen only for the mode and line code chosen above.</p>
              <button type="button" id="decode" disabled>Decode the file again</button>
            </fieldset>
            <fieldset>
              <legend>Record from the microphone</legend>
              <p class="hint">Play a lab sound from another device (or this one) and record up to 30 s.</p>
              <div class="actions">
                <button type="button" id="record">Record</button>
                <button type="button" id="stop" disabled>Stop</button>
                <span id="record-time" class="hint" aria-live="off"></span>
              </div>
            </fieldset>
          </form>
        </section>

        <section id="results" class="panel results" aria-labelledby="results-title" tabindex="-1">
          <h2 id="results-title">What happened</h2>
          <p id="example-note" class="note">The worked example below sends a short message through noise:
            a frame fails its layer 2 check (the CRC-32) and is sent again.</p>
          <p id="result-summary"></p>

          <h3>Listen</h3>
          <div class="listen">
            <div class="player">
              <p class="player-title">What the receiver heard (all rounds)</p>
              <audio id="audio-received" controls preload="metadata"></audio>
              <a id="download-received" class="download" download="received.wav" hidden>Download received.wav</a>
            </div>
            <div class="player" id="clean-player">
              <p class="player-title">What was sent (first round, before the noise)</p>
              <audio id="audio-clean" controls preload="metadata"></audio>
              <a id="download-clean" class="download" download="sent.wav" hidden>Download sent.wav</a>
            </div>
          </div>

          <h3>The sound, drawn</h3>
          <figure class="plot-figure">
            <div id="spectrogram" class="plot"></div>
            <figcaption>Spectrogram of the first round as heard: time across, pitch up, loudness as colour.
            </figcaption>
          </figure>
          <figure class="plot-figure">
            <div id="demod" class="plot"></div>
            <figcaption>The demodulator's view: what the receiver made of each tone.</figcaption>
          </figure>

          <h3>Frames on the air</h3>
          <div class="table-scroll" tabindex="0" role="region" aria-labelledby="frames-caption">
            <table>
              <caption id="frames-caption">Every frame the receiver found, round by round</caption>
              <thead>
                <tr><th scope="col">Round</th><th scope="col">No.</th><th scope="col">Start–end (s)</th>
                  <th scope="col">Mode</th><th scope="col">Status</th><th scope="col">Eb/N0</th>
                  <th scope="col">Reason</th></tr>
              </thead>
              <tbody id="frames"></tbody>
            </table>
          </div>
          <p id="frames-empty" class="hint" hidden>The receiver found no frame in this sound.</p>
          <ol id="rounds" class="rounds"></ol>

          <h3>Delivered</h3>
          <p id="delivered-verdict" class="verdict"></p>
          <pre id="delivered"></pre>
          <details id="sent-box">
            <summary>What was sent</summary>
            <pre id="sent-text"></pre>
          </details>

          <h3>Up and down the stack</h3>
          <p class="hint">Sending goes down from layer 7 to layer 1, each layer adding its part; receiving
            climbs back up from layer 1, each layer checking its part before passing the rest up.</p>
          <ol id="layers" class="stack"></ol>
        </section>
        </main>
        </body>
        </html>
        """#
}
