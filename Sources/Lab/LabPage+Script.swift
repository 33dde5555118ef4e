// The lab page's JavaScript, served as /lab.js.
extension LabPage {
    /// The page's script, served as /lab.js.
    static let script = #"""
        // The SoundStack lab: fills the form from /api/options, sends it to /api/send, decodes uploads and
        // microphone recordings with /api/decode, and draws what came back (sound, pictures, frames, layers).
        'use strict';

        const $ = (id) => document.getElementById(id);

        // What the page knows between requests.
        const state = {
          options: null,      // GET /api/options
          busy: false,        // a request is running
          recorder: null,     // the microphone capture while it runs
          lastUpload: null,   // the audio file last chosen for decoding
        };

        // The defaults the contract gives for every SendRequest field that may be left out.
        const DEFAULTS = {
          mode: 'fsk1200', lineCode: null, fec: null, ebn0: 10, drift: 0, offset: 0, phone: false,
          bursts: 0, dropouts: 0, seed: 7, resends: 3,
        };

        // Each layer in plain words: what it adds on the way down, what it checks on the way up.
        const STORY = {
          7: {
            down: 'Your program speaks a protocol both ends know: here the message itself, or an HTTP '
              + 'request (a method, a URL, headers and a body), as a browser sends when it posts to a server.',
            up: 'The receiving program reads it back strictly: a start line, headers, and exactly the body '
              + 'they announce, nothing missing and nothing left over.',
          },
          6: {
            down: 'The data is put into a form the other side can read: text becomes UTF-8 bytes, JSON is '
              + 'serialised into one flat string of bytes, and it may be compressed or encrypted.',
            up: 'The receiver undoes that and checks it: the bytes must be valid text (and valid JSON when '
              + 'they say so), compressed data must unpack, and encrypted data must carry the right tag.',
          },
          5: {
            down: 'A conversation is opened, the data goes in units with checkpoints along the way, and the '
              + 'conversation is closed, like a login that can pick up from its last checkpoint after a drop.',
            up: 'Every checkpoint and the closing check over the whole message must agree, so the receiver '
              + 'knows the conversation is complete before it passes the message up.',
          },
          4: {
            down: 'TCP opens a connection to a port (the SYN), cuts the stream into numbered segments and '
              + 'gives each one a checksum.',
            up: 'Checksums are verified and the segments put back in order by their sequence numbers; if a '
              + 'range is missing, TCP names exactly those bytes so only they need to be sent again.',
          },
          3: {
            down: 'Each segment goes into an IP packet stamped with the source and destination addresses, '
              + 'which routers along the way would use to forward it.',
            up: "The packet's header checksum is verified, its address compared with the station's, and "
              + 'the pieces of a fragmented packet are put back together.',
          },
          2: {
            down: 'Each packet goes into one Ethernet frame with the MAC addresses of the two neighbours and '
              + 'a CRC-32 over the whole frame (the frame check sequence).',
            up: 'The CRC-32 is computed again over what was heard. If the noise flipped even one bit the two '
              + 'differ, the frame is thrown away, and what it carried must be sent again. This is the '
              + 'check that catches the noise.',
          },
          1: {
            down: 'Each frame becomes a string of bits and the bits become sound: tones here, where Ethernet '
              + 'would use voltages on copper, Wi-Fi radio waves and fibre light. With error correction '
              + '(FEC) extra bits go along to repair some mistakes.',
            up: "The receiver listens for the frame's sync pattern, follows the sender's clock and decides "
              + 'which tone each symbol was. Noise makes it guess some bits wrong, and this layer alone '
              + 'cannot always tell: the checks above must.',
          },
        };

        const MARKS = { ok: '✓', failed: '✗', 'not reached': '–' };

        // ---------------------------------------------------------------------------------------------
        // Status, busy state and talking to the server

        // Puts a sentence in the aria-live status region; kind "error" marks it as a failure.
        function setStatus(text, kind) {
          const el = $('status');
          el.textContent = text;
          el.className = kind === 'error' ? 'error' : '';
        }

        // Shows or hides the busy indicator and disables every control that starts a request.
        function setBusy(on) {
          state.busy = on;
          $('busy').hidden = !on;
          $('results').setAttribute('aria-busy', on ? 'true' : 'false');
          for (const id of ['send', 'upload', 'message-file']) $(id).disabled = on;
          $('record').disabled = on || Boolean(state.recorder);
          $('decode').disabled = on || !state.lastUpload;
          if (on) document.body.dataset.state = 'busy';
        }

        // Runs one request: busy while it runs, then "ready" (the task rendered) or "error" with the reason.
        async function run(busyText, task) {
          if (state.busy) {
            setStatus('Another request is still running; try again when it has finished.', 'error');
            return;
          }
          setBusy(true);
          setStatus(busyText);
          let outcome = 'ready';
          try {
            const done = await task();
            setStatus(done || 'Done.');
          } catch (err) {
            outcome = 'error';
            setStatus(err && err.message ? err.message : String(err), 'error');
          }
          setBusy(false);
          document.body.dataset.state = outcome;
        }

        // Fetches a JSON answer; a 4xx/5xx answer becomes an Error carrying the server's "error" line.
        async function api(path, init) {
          let response;
          try {
            response = await fetch(path, init);
          } catch (err) {
            throw new Error('The lab server did not answer (' + err.message + '). Is `soundstack lab` running?');
          }
          const text = await response.text();
          let data = null;
          try { data = text ? JSON.parse(text) : null; } catch (err) { data = null; }
          if (!response.ok) {
            const why = data && data.error ? data.error : response.status + ' ' + response.statusText;
            throw new Error('The server refused: ' + why);
          }
          if (data === null || typeof data !== 'object') throw new Error('The server did not answer with JSON.');
          return data;
        }

        // ---------------------------------------------------------------------------------------------
        // The form: filling it from /api/options and reading it back as a SendRequest

        // Adds <option>s to a select after the options already in it (the "mode's own" one).
        function addOptions(select, items) {
          for (const item of items) {
            const option = document.createElement('option');
            option.value = item.value;
            option.textContent = item.label;
            select.append(option);
          }
        }

        // Fills the mode, line code and FEC selects from the options.
        function fillOptions(options) {
          const modes = options.modes || [];
          addOptions($('mode'), modes.map((m) => ({
            value: m.name, label: m.bitRate ? m.name + ' · ' + m.bitRate + ' bit/s' : m.name,
          })));
          addOptions($('line-code'), (options.lineCodes || []).map((c) => ({ value: c, label: c })));
          addOptions($('fec'), (options.fec || []).map((f) => ({ value: f, label: f })));
          showModeSummary();
          showMessageBytes();
        }

        // Shows the chosen mode's one-line summary under the select.
        function showModeSummary() {
          const modes = (state.options && state.options.modes) || [];
          const mode = modes.find((m) => m.name === $('mode').value);
          $('mode-summary').textContent = mode ? mode.summary || '' : '';
        }

        // Sets a select to a value when it offers it (null means the first, "mode's own", option).
        function setSelect(select, value) {
          const wanted = value === null || value === undefined ? '' : String(value);
          if ([...select.options].some((o) => o.value === wanted)) select.value = wanted;
        }

        // Puts a SendRequest (the worked example) into the form.
        function applyRequest(req) {
          const r = Object.assign({}, DEFAULTS, req || {});
          $(r.kind === 'http' ? 'kind-http' : 'kind-text').checked = true;
          if (typeof r.text === 'string') $('message').value = r.text;
          if (r.http) {
            setSelect($('http-method'), r.http.method || 'POST');
            $('http-url').value = r.http.url || '';
            $('http-headers').value = (r.http.headers || []).map((h) => h[0] + ': ' + h[1]).join('\n');
            $('http-body').value = r.http.body || '';
          }
          setSelect($('mode'), r.mode);
          setSelect($('line-code'), r.lineCode);
          setSelect($('fec'), r.fec);
          $('no-noise').checked = r.ebn0 === null;
          if (r.ebn0 !== null) $('ebn0').value = String(r.ebn0);
          for (const id of ['drift', 'offset', 'bursts', 'dropouts', 'seed', 'resends']) $(id).value = String(r[id]);
          $('phone').checked = Boolean(r.phone);
          showKind();
          showEbn0();
          showModeSummary();
          showMessageBytes();
        }

        // Reads a number field; an empty or unreadable one is left out (the server's default applies).
        function readNumber(id) {
          const text = $(id).value.trim();
          const value = Number(text);
          return text === '' || !Number.isFinite(value) ? undefined : value;
        }

        // Turns "Name: value" lines into [name, value] pairs, naming the first line without a colon.
        function parseHeaders(text) {
          const headers = [];
          text.split(/\r?\n/).forEach((line, i) => {
            if (!line.trim()) return;
            const colon = line.indexOf(':');
            if (colon < 1) throw new Error('Header line ' + (i + 1) + ' needs “Name: value”: ' + line.trim());
            headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
          });
          return headers;
        }

        // Reads the whole form as a SendRequest for POST /api/send.
        function readRequest() {
          const req = { kind: $('kind-http').checked ? 'http' : 'text' };
          if (req.kind === 'text') {
            req.text = $('message').value;
            const limit = state.options && state.options.limits && state.options.limits.textBytes;
            const bytes = utf8Length(req.text);
            if (limit && bytes > limit) throw new Error('The message is ' + bytes + ' bytes; at most ' + limit + '.');
          } else {
            req.http = {
              method: $('http-method').value, url: $('http-url').value.trim(),
              headers: parseHeaders($('http-headers').value), body: $('http-body').value,
            };
          }
          req.mode = $('mode').value || DEFAULTS.mode;
          req.lineCode = $('line-code').value || null;
          req.fec = $('fec').value || null;
          req.ebn0 = $('no-noise').checked ? null : Number($('ebn0').value);
          for (const id of ['drift', 'offset', 'bursts', 'dropouts', 'seed', 'resends']) {
            const value = readNumber(id);
            if (value !== undefined) req[id] = value;
          }
          req.phone = $('phone').checked;
          return req;
        }

        const utf8Length = (text) => new TextEncoder().encode(text).length;

        // Shows the text or the HTTP fields, whichever "send it as" says.
        function showKind() {
          const http = $('kind-http').checked;
          $('http-fields').hidden = !http;
          $('text-fields').hidden = http;
        }

        // Shows the slider's value (one decimal) and dims the slider when "no noise" makes it unused.
        function showEbn0() {
          const off = $('no-noise').checked;
          $('ebn0-value').textContent = Number($('ebn0').value).toFixed(1);
          $('ebn0').classList.toggle('unused', off);
          $('ebn0-unit').textContent = off ? 'dB (not used: no noise)' : 'dB';
        }

        // Counts the message's UTF-8 bytes against the server's limit.
        function showMessageBytes() {
          const bytes = utf8Length($('message').value);
          const limit = state.options && state.options.limits ? state.options.limits.textBytes : null;
          const el = $('message-bytes');
          el.textContent = limit ? bytes + ' of at most ' + limit + ' bytes' : bytes + ' bytes';
          el.classList.toggle('over', Boolean(limit && bytes > limit));
        }

        // ---------------------------------------------------------------------------------------------
        // Rendering a SendResult

        const fixed = (x, digits) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—');

        // Makes an element with a class and text in one go.
        function el(tag, className, text) {
          const node = document.createElement(tag);
          if (className) node.className = className;
          if (text !== undefined && text !== null) node.textContent = text;
          return node;
        }

        // Draws the whole result; source is {kind: "example"|"send"|"decode", label}.
        function render(result, source) {
          $('example-note').hidden = source.kind !== 'example';
          if (source.kind === 'example') $('example-note').textContent = describeExample(result);
          renderSummary(result, source);
          renderAudio(result.audio || {});
          renderPlot('spectrogram', result.plots && result.plots.spectrogram, 'Spectrogram of the sound');
          renderPlot('demod', result.plots && result.plots.demod, "The demodulator's view of the sound");
          renderFrames(result.rounds || []);
          renderDelivered(result.delivered || {}, result.sent);
          renderLayers(result.layers || []);
        }

        // The worked example in one sentence, from what actually happened to its frames.
        function describeExample(result) {
          const rounds = result.rounds || [];
          const ebn0 = state.options && state.options.example ? state.options.example.ebn0 : undefined;
          const noise = typeof ebn0 === 'number' ? ' at Eb/N0 ' + ebn0 + ' dB' : '';
          let failed = null;
          let round = null;
          for (const r of rounds) {
            failed = (r.frames || []).find((f) => !isOk(f));
            if (failed) { round = r; break; }
          }
          if (!failed) return 'The worked example' + noise + ': every frame passed its checks this time.';
          const check = /fcs|crc/i.test(failed.status || '')
            ? 'failed its layer 2 check (the CRC-32 frame check sequence did not match)'
            : 'was lost below layer 3 (' + (failed.reason || failed.status) + ')';
          const later = rounds.filter((r) => r.round > round.round).length;
          const then = later
            ? ', so the receiver named what it lacked and it was sent again (' + later + ' more round'
              + (later === 1 ? '' : 's') + ')'
            : ', and the receiver reported what it lacked';
          const d = result.delivered || {};
          const end = d.ok ? '; in the end the message arrived whole.' : '; it did not get through: ' + d.error;
          const where = round.what ? ' (' + round.what + ')' : '';
          return 'The worked example' + noise + ': frame ' + failed.index + ' in round ' + round.round + where
            + ' ' + check + then + end + ' Change anything and press Send to try your own.';
        }

        const isOk = (frame) => (typeof frame.ok === 'boolean' ? frame.ok : frame.status === 'ok');

        // One line over the results: what was sent (or decoded), how long it sounds, through what channel.
        function renderSummary(result, source) {
          const parts = [];
          const sent = result.sent;
          if (sent) {
            parts.push('Sent ' + sent.bytes + ' bytes in ' + sent.frames + ' frame' + (sent.frames === 1 ? '' : 's')
              + ' (' + fixed(sent.seconds, 2) + ' s of sound per round).');
          } else {
            parts.push('Decoded ' + (source.label || 'a recording') + '.');
          }
          if (result.audio && typeof result.audio.seconds === 'number') {
            parts.push('The receiver heard ' + fixed(result.audio.seconds, 2) + ' s in all.');
          }
          if (result.channel) parts.push('Channel: ' + result.channel + '.');
          $('result-summary').textContent = parts.join(' ');
          $('sent-box').hidden = !sent;
          $('sent-text').textContent = sent ? sent.text || '' : '';
        }

        // Points an <audio> and its download link at base64 WAV data, or empties and hides them.
        function setAudio(audioId, linkId, base64) {
          const audio = $(audioId);
          const link = $(linkId);
          if (base64) {
            const url = 'data:audio/wav;base64,' + base64;
            audio.src = url;
            link.href = url;
            link.hidden = false;
          } else {
            audio.removeAttribute('src');
            audio.load();
            link.removeAttribute('href');
            link.hidden = true;
          }
        }

        // The received sound always; the clean one only when the server sent it (not for a decode).
        function renderAudio(audio) {
          setAudio('audio-received', 'download-received', audio.received);
          setAudio('audio-clean', 'download-clean', audio.clean);
          $('clean-player').hidden = !audio.clean;
        }

        // Puts the server's SVG inline, with its ids made unique to this container and its size left to CSS.
        function renderPlot(id, svg, label) {
          const box = $(id);
          if (!svg) {
            box.textContent = '';
            box.append(el('p', 'hint', 'No picture for this sound.'));
            return;
          }
          const unique = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '')
            .replace(/\bid="([^"]+)"/g, (m, name) => 'id="' + id + '-' + name + '"')
            .replace(/url\(#([^)]+)\)/g, (m, name) => 'url(#' + id + '-' + name + ')');
          box.innerHTML = unique;
          const drawing = box.querySelector('svg');
          if (!drawing) return;
          const w = drawing.getAttribute('width');
          const h = drawing.getAttribute('height');
          if (!drawing.getAttribute('viewBox') && w && h) {
            drawing.setAttribute('viewBox', '0 0 ' + parseFloat(w) + ' ' + parseFloat(h));
          }
          drawing.removeAttribute('width');
          drawing.removeAttribute('height');
          drawing.setAttribute('role', 'img');
          drawing.setAttribute('aria-label', label);
        }

        // One table row per frame per round; failed rows get class "failed", a ✗ and their reason.
        function renderFrames(rounds) {
          const body = $('frames');
          body.textContent = '';
          const list = $('rounds');
          list.textContent = '';
          let count = 0;
          for (const round of rounds) {
            const frames = round.frames || [];
            const bad = frames.filter((f) => !isOk(f)).length;
            list.append(el('li', bad ? 'failed' : 'ok', 'Round ' + round.round + ': ' + (round.what || '')
              + ' — ' + frames.length + ' frame' + (frames.length === 1 ? '' : 's')
              + (bad ? ', ' + bad + ' failed' : ', all ok') + '.'));
            for (const frame of frames) {
              body.append(frameRow(round, frame));
              count += 1;
            }
          }
          $('frames-empty').hidden = count > 0;
        }

        // The <tr> of one frame.
        function frameRow(round, frame) {
          const ok = isOk(frame);
          const tr = el('tr', 'frame ' + (ok ? 'ok' : 'failed'));
          tr.dataset.status = frame.status || (ok ? 'ok' : 'failed');
          const reason = [frame.reason || (ok ? '' : frame.status)];
          if (frame.corrected) {
            reason.push(frame.corrected + ' bit' + (frame.corrected === 1 ? '' : 's') + ' corrected');
          }
          const cells = [
            String(round.round), String(frame.index), fixed(frame.start, 2) + '–' + fixed(frame.end, 2),
            frame.mode || '', (ok ? '✓ ' : '✗ ') + (frame.status || ''),
            typeof frame.ebn0 === 'number' ? fixed(frame.ebn0, 1) + ' dB' : '—',
            reason.filter(Boolean).join('; '),
          ];
          cells.forEach((text, i) => {
            const td = el('td', i === 4 ? 'frame-status' : '', text);
            if (i === 0 && round.what) td.title = round.what;
            tr.append(td);
          });
          return tr;
        }

        // The bytes that reached the top, and whether they are what was sent.
        function renderDelivered(d, sent) {
          $('delivered').textContent = d.text || '';
          const verdict = $('delivered-verdict');
          let text;
          let good = false;
          if (!d.ok) {
            text = '✗ Not delivered: ' + (d.error || 'the message did not get through.');
          } else if (sent && d.identical === false) {
            text = '✗ ' + d.bytes + ' bytes delivered, but they differ from what was sent.';
          } else if (sent) {
            good = true;
            text = '✓ ' + d.bytes + ' bytes delivered, identical to what was sent.';
          } else {
            good = true;
            text = '✓ ' + d.bytes + ' bytes delivered.';
          }
          if (d.ok && d.error) text += ' ' + d.error;
          verdict.textContent = text;
          verdict.className = 'verdict ' + (good ? 'ok' : 'failed');
        }

        // The seven layers as a stack, L7 on top; each box says what was added, checked, and why.
        function renderLayers(layers) {
          const stack = $('layers');
          stack.textContent = '';
          const sorted = layers.slice().sort((a, b) => b.layer - a.layer);
          for (const layer of sorted) stack.append(layerBox(layer));
        }

        // One layer's box.
        function layerBox(layer) {
          const status = layer.status || 'not reached';
          const li = el('li', 'layer ' + status.replace(/\s+/g, '-'));
          li.dataset.layer = String(layer.layer);
          li.dataset.status = status;
          const head = el('div', 'layer-head');
          head.append(el('span', 'layer-number', 'L' + layer.layer),
            el('span', 'layer-name', layer.name || ''),
            el('span', 'layer-protocol', layer.protocol || ''),
            el('span', 'layer-mark', (MARKS[status] || '?') + ' ' + status));
          li.append(head);
          const facts = el('dl', 'layer-facts');
          facts.append(el('dt', '', '↓ Added when sending'), el('dd', '', layer.added || '—'),
            el('dt', '', '↑ Checked when receiving'), el('dd', '', layer.checked || '—'));
          li.append(facts);
          if (status === 'failed') li.append(el('p', 'layer-error', '✗ ' + (layer.error || 'this layer refused it')));
          li.append(el('p', 'layer-story', explain(layer.layer, status)));
          return li;
        }

        // The plain-words explanation of one layer, with a last sentence about how it went this time.
        function explain(number, status) {
          const story = STORY[number];
          if (!story) return '';
          let after = '';
          if (status === 'failed') after = ' This time the check failed here, so nothing went further up.';
          if (status === 'not reached') after = ' This time nothing got this far up: a layer below stopped it.';
          return 'Going down: ' + story.down + ' Coming up: ' + story.up + after;
        }

        // ---------------------------------------------------------------------------------------------
        // Actions: send, decode an upload, record from the microphone

        // POST /api/send with the form, then draw the answer.
        function send() {
          return run('Sending down the stack and through the noise…', async () => {
            const req = readRequest();
            const result = await api('/api/send', {
              method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(req),
            });
            render(result, { kind: 'send' });
            return outcome(result);
          });
        }

        // One sentence for the status region after a result is drawn.
        function outcome(result) {
          const d = result.delivered || {};
          const failed = (result.layers || []).find((l) => l.status === 'failed');
          if (d.ok) return 'Done: ' + d.bytes + ' bytes delivered' + (d.identical === false ? ', not as sent.' : '.');
          return 'Done: not delivered' + (failed ? ' — layer ' + failed.layer + ' refused it: ' + failed.error : '.');
        }

        // POST an audio blob to /api/decode, with the mode and line code unless "every mode" is ticked.
        async function decodeBlob(blob, label) {
          const limits = (state.options && state.options.limits) || {};
          if (limits.uploadBytes && blob.size > limits.uploadBytes) {
            throw new Error(label + ' is ' + blob.size + ' bytes; the server takes at most '
              + limits.uploadBytes + '.');
          }
          const params = new URLSearchParams();
          if (!$('decode-any').checked) {
            if ($('mode').value) params.set('mode', $('mode').value);
            if ($('line-code').value) params.set('lineCode', $('line-code').value);
          }
          const query = params.toString();
          const result = await api('/api/decode' + (query ? '?' + query : ''), {
            method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: blob,
          });
          render(result, { kind: 'decode', label });
          return outcome(result);
        }

        // Decodes the file last chosen in the upload input.
        function decodeUpload() {
          const file = state.lastUpload;
          if (!file) return undefined;
          return run('Decoding ' + file.name + '…', () => decodeBlob(file, file.name));
        }

        // Starts capturing the microphone as mono float samples (ScriptProcessorNode), at most 30 s.
        async function startRecording() {
          if (state.recorder || state.busy) return;
          const AudioContextClass = window.AudioContext || window.webkitAudioContext;
          if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !AudioContextClass) {
            setStatus('This browser cannot record here: the microphone needs a modern browser and a secure '
              + 'page (https, or http://localhost). Record with another program and upload the file instead.',
            'error');
            return;
          }
          let stream;
          try {
            stream = await navigator.mediaDevices.getUserMedia({ audio: true });
          } catch (err) {
            setStatus('The microphone could not be opened: ' + (err.message || err.name) + '.', 'error');
            return;
          }
          const context = new AudioContextClass();
          const source = context.createMediaStreamSource(stream);
          const node = context.createScriptProcessor(4096, 1, 1);
          const rec = { stream, context, source, node, chunks: [], length: 0, timer: 0 };
          const limit = 30 * context.sampleRate;
          node.onaudioprocess = (event) => {
            if (state.recorder !== rec) return;
            rec.chunks.push(new Float32Array(event.inputBuffer.getChannelData(0)));
            rec.length += event.inputBuffer.length;
            if (rec.length >= limit) stopRecording();
          };
          source.connect(node);
          node.connect(context.destination);   // a ScriptProcessorNode only runs when connected; it outputs silence
          if (context.state === 'suspended') await context.resume();
          state.recorder = rec;
          rec.timer = setInterval(() => {
            $('record-time').textContent = fixed(rec.length / context.sampleRate, 1) + ' s of 30';
          }, 200);
          $('record').disabled = true;
          $('stop').disabled = false;
          $('stop').focus();
          setStatus('Recording from the microphone… press Stop when the sound has played.');
        }

        // Stops the capture, releases the microphone, and decodes what was heard as a 16-bit WAV.
        async function stopRecording() {
          const rec = state.recorder;
          if (!rec) return;
          state.recorder = null;
          clearInterval(rec.timer);
          rec.node.onaudioprocess = null;
          rec.source.disconnect();
          rec.node.disconnect();
          rec.stream.getTracks().forEach((track) => track.stop());
          const rate = rec.context.sampleRate;
          await rec.context.close();
          $('stop').disabled = true;
          $('record').disabled = state.busy;
          $('record').focus();
          const samples = new Float32Array(rec.length);
          let at = 0;
          for (const chunk of rec.chunks) {
            samples.set(chunk.subarray(0, samples.length - at), at);
            at += chunk.length;
          }
          $('record-time').textContent = fixed(samples.length / rate, 1) + ' s recorded';
          if (samples.length === 0) {
            setStatus('Nothing was recorded.', 'error');
            return;
          }
          const wav = new Blob([encodeWav(samples, rate)], { type: 'audio/wav' });
          await run('Decoding the recording…', () => decodeBlob(wav, 'the microphone recording'));
        }

        // Encodes float samples (−1…1) as a 16-bit PCM mono WAV file.
        function encodeWav(samples, sampleRate) {
          const buffer = new ArrayBuffer(44 + samples.length * 2);
          const view = new DataView(buffer);
          const text = (offset, s) => {
            for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i));
          };
          text(0, 'RIFF');
          view.setUint32(4, 36 + samples.length * 2, true);
          text(8, 'WAVE');
          text(12, 'fmt ');
          view.setUint32(16, 16, true);           // fmt chunk size
          view.setUint16(20, 1, true);            // PCM
          view.setUint16(22, 1, true);            // mono
          view.setUint32(24, sampleRate, true);
          view.setUint32(28, sampleRate * 2, true); // bytes per second
          view.setUint16(32, 2, true);            // bytes per frame
          view.setUint16(34, 16, true);           // bits per sample
          text(36, 'data');
          view.setUint32(40, samples.length * 2, true);
          for (let i = 0; i < samples.length; i++) {
            const s = Math.max(-1, Math.min(1, samples[i]));
            view.setInt16(44 + i * 2, s < 0 ? Math.round(s * 32768) : Math.round(s * 32767), true);
          }
          return buffer;
        }

        // Loads a text file into the message box.
        async function loadMessageFile() {
          const file = $('message-file').files[0];
          if (!file) return;
          try {
            $('message').value = await file.text();
            showMessageBytes();
            setStatus('Loaded ' + file.name + ' into the message.');
          } catch (err) {
            setStatus('Could not read ' + file.name + ': ' + err.message, 'error');
          }
        }

        // ---------------------------------------------------------------------------------------------
        // Wiring and the first load

        // Connects the controls to their handlers.
        function wire() {
          const form = $('send-form');
          form.addEventListener('submit', (event) => { event.preventDefault(); send(); });
          form.addEventListener('keydown', (event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              if (form.requestSubmit) form.requestSubmit(); else send();
            }
          });
          $('kind-text').addEventListener('change', showKind);
          $('kind-http').addEventListener('change', showKind);
          $('ebn0').addEventListener('input', showEbn0);
          $('no-noise').addEventListener('change', showEbn0);
          $('mode').addEventListener('change', showModeSummary);
          $('message').addEventListener('input', showMessageBytes);
          $('message-file').addEventListener('change', loadMessageFile);
          $('upload').addEventListener('change', () => {
            state.lastUpload = $('upload').files[0] || null;
            $('decode').disabled = state.busy || !state.lastUpload;
            decodeUpload();
          });
          $('decode').addEventListener('click', decodeUpload);
          $('record').addEventListener('click', startRecording);
          $('stop').addEventListener('click', stopRecording);
        }

        // First load: the options fill the form with the worked example, whose result is drawn at once.
        function start() {
          wire();
          showKind();
          showEbn0();
          run('Loading the worked example…', async () => {
            state.options = await api('/api/options');
            fillOptions(state.options);
            applyRequest(state.options.example);
            const result = await api('/api/example');
            render(result, { kind: 'example' });
            return 'The worked example is below. ' + outcome(result);
          });
        }

        start();
        """#
}
