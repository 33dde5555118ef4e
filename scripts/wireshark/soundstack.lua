-- soundstack.lua: Wireshark/tshark dissector for SoundStack's layer 5 and 6 headers.
--
-- With the default `osi` framing the TCP stream carries S5 session PDUs (Sources/L5Session/SPDU.swift)
-- around the P6 presentation header and content (Sources/L6Presentation/PresentationHeader.swift).
-- This dissector shows every SPDU (fields, CRC-32 checked), reassembles SPDUs split across TCP
-- segments, collects a session's DATA units into the message, shows the P6 header, inflates
-- deflated content and hands the HTTP message to Wireshark's own HTTP dissector.
-- Encrypted content is shown as such: there is no key here.
--
--   tshark -X lua_script:scripts/wireshark/soundstack.lua -r out.pcapng -V
--   or copy it to ~/.local/lib/wireshark/plugins/ (`tshark -G folders`: "Personal Lua Plugins")
--
-- S5 SPDU, 40-byte header, big-endian:
--   0 magic "S5" | 2 version 1 | 3 type | 4 flags | 5 reserved | 6 payload length | 8 session id (8)
--  16 sequence | 20 checkpoint | 24 total units | 28 total length | 32 checkpoint interval
--  34 recording | 36 CRC-32 over bytes 0..<36 and the payload | 40 payload
-- P6 header, 18 bytes (54 encrypted), big-endian:
--   0 magic "P6" | 2 version 1 | 3 content type | 4 compression | 5 cipher | 6 original length
--  10 body length | [14 KDF | 15 log2 N | 16 r | 17 p | 18 salt (16) | 34 nonce (12) | 46 key check (4)]
--  14/50 CRC-32 over the header bytes before it

local bits = bit32 or bit   -- Lua 5.2 has bit32; Wireshark also ships BitOp as `bit`

-- ---------------------------------------------------------------------------------------------
-- CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zlib and our Checksums target

local function u32(x)
    if x < 0 then return x + 4294967296 end
    return x
end

local crc_table = {}
for i = 0, 255 do
    local c = i
    for _ = 1, 8 do
        if bits.band(c, 1) ~= 0 then
            c = bits.bxor(0xEDB88320, bits.rshift(c, 1))
        else
            c = bits.rshift(c, 1)
        end
    end
    crc_table[i] = u32(c)
end

-- Feeds a ByteArray into the running register (start with 0xFFFFFFFF; final value: crc_final).
local function crc_update(reg, bytes)
    for i = 0, bytes:len() - 1 do
        local index = bits.band(bits.bxor(reg, bytes:get_index(i)), 0xFF)
        reg = u32(bits.bxor(crc_table[index], bits.rshift(reg, 8)))
    end
    return reg
end

local function crc_final(reg) return u32(bits.bxor(reg, 0xFFFFFFFF)) end

-- ---------------------------------------------------------------------------------------------
-- Protocols and fields

local s5 = Proto("s5", "SoundStack Session (S5)")
local p6 = Proto("p6", "SoundStack Presentation (P6)")

local SPDU_HEADER = 40
local SPDU_MAGIC = 0x5335
local P6_MAGIC = 0x5036
local DATA, CHECKPOINT, CLOSE = 2, 3, 4

local spdu_types = { [1] = "OPEN", [2] = "DATA", [3] = "CHECKPOINT", [4] = "CLOSE", [5] = "RESUME", [6] = "ACK" }
local crc_status = { [0] = "Bad", [1] = "Good", [2] = "Unverified" }
local content_types = { [0] = "binary", [1] = "UTF-8 text", [2] = "JSON" }
local compressions = { [0] = "none", [1] = "deflate (zlib, RFC 1950)" }
local ciphers = { [0] = "none", [1] = "ChaCha20-Poly1305", [2] = "AES-256-GCM" }
local kdfs = { [1] = "scrypt" }

local f = {
    magic = ProtoField.uint16("s5.magic", "Magic", base.HEX),
    version = ProtoField.uint8("s5.version", "Version", base.DEC),
    type = ProtoField.uint8("s5.type", "Type", base.DEC, spdu_types),
    flags = ProtoField.uint8("s5.flags", "Flags", base.HEX),
    resent = ProtoField.bool("s5.flags.resent", "Resent after a RESUME", 8, nil, 0x01),
    reserved = ProtoField.uint8("s5.reserved", "Reserved", base.HEX),
    length = ProtoField.uint16("s5.length", "Payload length", base.DEC),
    session = ProtoField.uint64("s5.session_id", "Session ID", base.HEX),
    sequence = ProtoField.uint32("s5.sequence", "Sequence", base.DEC),
    checkpoint = ProtoField.uint32("s5.checkpoint", "Checkpoint", base.DEC),
    total_units = ProtoField.uint32("s5.total_units", "Total data units", base.DEC),
    total_length = ProtoField.uint32("s5.total_length", "Total message length", base.DEC),
    interval = ProtoField.uint16("s5.interval", "Checkpoint interval (units)", base.DEC),
    recording = ProtoField.uint16("s5.recording", "Recording", base.DEC),
    crc = ProtoField.uint32("s5.crc", "CRC-32", base.HEX),
    crc_status = ProtoField.uint8("s5.crc.status", "SPDU CRC status", base.DEC, crc_status),
    payload = ProtoField.bytes("s5.payload", "Payload"),
    content_crc = ProtoField.uint32("s5.content_crc", "Content CRC-32", base.HEX),
    content_crc_status = ProtoField.uint8("s5.content_crc.status", "Content CRC status", base.DEC, crc_status),
    message_units = ProtoField.uint32("s5.message.units", "Message DATA units", base.DEC),
    message_length = ProtoField.uint32("s5.message.length", "Message length", base.DEC),
    unit_frame = ProtoField.framenum("s5.message.unit_frame", "DATA unit in frame"),
    message_frame = ProtoField.framenum("s5.message.frame", "Message completed in frame"),
}
s5.fields = f

local g = {
    magic = ProtoField.uint16("p6.magic", "Magic", base.HEX),
    version = ProtoField.uint8("p6.version", "Version", base.DEC),
    content_type = ProtoField.uint8("p6.content_type", "Content type", base.DEC, content_types),
    compression = ProtoField.uint8("p6.compression", "Compression", base.DEC, compressions),
    cipher = ProtoField.uint8("p6.cipher", "Cipher", base.DEC, ciphers),
    original_length = ProtoField.uint32("p6.original_length", "Original length", base.DEC),
    body_length = ProtoField.uint32("p6.body_length", "Body length", base.DEC),
    kdf = ProtoField.uint8("p6.kdf", "KDF", base.DEC, kdfs),
    log2n = ProtoField.uint8("p6.scrypt.log2n", "scrypt log2 N", base.DEC),
    r = ProtoField.uint8("p6.scrypt.r", "scrypt r", base.DEC),
    p = ProtoField.uint8("p6.scrypt.p", "scrypt p", base.DEC),
    salt = ProtoField.bytes("p6.salt", "Salt"),
    nonce = ProtoField.bytes("p6.nonce", "Nonce"),
    key_check = ProtoField.bytes("p6.key_check", "Key check"),
    crc = ProtoField.uint32("p6.crc", "Header CRC-32", base.HEX),
    crc_status = ProtoField.uint8("p6.crc.status", "P6 header CRC status", base.DEC, crc_status),
    body = ProtoField.bytes("p6.body", "Body"),
    ciphertext = ProtoField.bytes("p6.ciphertext", "Ciphertext"),
    tag = ProtoField.bytes("p6.tag", "Authentication tag"),
    encrypted = ProtoField.string("p6.encrypted", "Encrypted"),
    inflated_length = ProtoField.uint32("p6.inflated_length", "Inflated length", base.DEC),
}
p6.fields = g

local e = {
    crc_bad = ProtoExpert.new("s5.crc.bad", "S5 SPDU CRC-32 bad", expert.group.CHECKSUM, expert.severity.ERROR),
    content_crc_bad = ProtoExpert.new("s5.content_crc.bad", "S5 content CRC-32 bad", expert.group.CHECKSUM,
                                      expert.severity.ERROR),
    not_spdu = ProtoExpert.new("s5.not_spdu", "Not an S5 SPDU (bad magic or version)", expert.group.MALFORMED,
                               expert.severity.ERROR),
    unknown_type = ProtoExpert.new("s5.type.unknown", "Unknown SPDU type", expert.group.MALFORMED,
                                   expert.severity.WARN),
}
s5.experts = { e.crc_bad, e.content_crc_bad, e.not_spdu, e.unknown_type }

local pe = {
    crc_bad = ProtoExpert.new("p6.crc.bad", "P6 header CRC-32 bad", expert.group.CHECKSUM, expert.severity.ERROR),
    not_p6 = ProtoExpert.new("p6.not_p6", "Not a P6 header (bad magic or version)", expert.group.MALFORMED,
                             expert.severity.ERROR),
    short = ProtoExpert.new("p6.short", "Message shorter than the P6 header says", expert.group.MALFORMED,
                            expert.severity.ERROR),
    encrypted = ProtoExpert.new("p6.encrypted.note", "Encrypted content", expert.group.SECURITY,
                                expert.severity.NOTE),
    inflate = ProtoExpert.new("p6.inflate.failed", "Deflated content does not inflate", expert.group.MALFORMED,
                              expert.severity.ERROR),
    length = ProtoExpert.new("p6.length.mismatch", "Content length differs from the original length",
                             expert.group.MALFORMED, expert.severity.WARN),
}
p6.experts = { pe.crc_bad, pe.not_p6, pe.short, pe.encrypted, pe.inflate, pe.length }

s5.prefs.ports = Pref.range("TCP ports", "80,8080", "TCP ports to dissect as S5 (others: found by heuristic)", 65535)

local http = Dissector.get("http")

-- ---------------------------------------------------------------------------------------------
-- State across packets. Filled on the first pass only (pinfo.visited false), read on every pass.

local sessions   -- session key -> { units = {seq -> ByteArray}, frames = {seq -> frame}, count, total, done }
local messages   -- SPDU key -> { bytes = ByteArray, frames = {…} }: the message this SPDU completed
local verdicts   -- SPDU key -> { computed = crc } for CHECKPOINT/CLOSE content CRCs that could be checked

local function reset()
    sessions, messages, verdicts = {}, {}, {}
end
reset()
s5.init = reset

local function session_key(pinfo, sid)
    return tostring(pinfo.src) .. ":" .. pinfo.src_port .. ">" .. tostring(pinfo.dst) .. ":" .. pinfo.dst_port
        .. "/" .. sid
end

-- CRC-32 of data units 0..<n, or nil when one of them is missing.
local function units_crc(s, n)
    local reg = 0xFFFFFFFF
    for seq = 0, n - 1 do
        local unit = s.units[seq]
        if unit == nil then return nil end
        reg = crc_update(reg, unit)
    end
    return crc_final(reg)
end

-- pinfo.private lives for one dissection of one packet: the first SPDU in it sets the column.
local function note_info(pinfo, text)
    if pinfo.private["s5.info"] == nil then
        pinfo.private["s5.info"] = "1"
        pinfo.cols.protocol:set("S5")
        pinfo.cols.info:set(text)
    else
        pinfo.cols.info:append(", " .. text)
    end
end

-- ---------------------------------------------------------------------------------------------
-- Layer 6 and up: the message the DATA units carry

local function dissect_message(message, pinfo, tree)
    local tvb = message.bytes:tvb("S5 message")
    local len = tvb:len()
    local t = tree:add(p6, tvb(), "SoundStack Presentation (P6)")
    if len < 3 or tvb(0, 2):uint() ~= P6_MAGIC or tvb(2, 1):uint() ~= 1 then
        t:add_proto_expert_info(pe.not_p6)
        return
    end
    local cipher = len >= 6 and tvb(5, 1):uint() or 0
    local header = cipher == 0 and 18 or 54
    if len < header then
        t:add_proto_expert_info(pe.short)
        return
    end
    t:add(g.magic, tvb(0, 2))
    t:add(g.version, tvb(2, 1))
    t:add(g.content_type, tvb(3, 1))
    t:add(g.compression, tvb(4, 1))
    t:add(g.cipher, tvb(5, 1))
    t:add(g.original_length, tvb(6, 4))
    t:add(g.body_length, tvb(10, 4))
    if cipher ~= 0 then
        t:add(g.kdf, tvb(14, 1))
        t:add(g.log2n, tvb(15, 1))
        t:add(g.r, tvb(16, 1))
        t:add(g.p, tvb(17, 1))
        t:add(g.salt, tvb(18, 16))
        t:add(g.nonce, tvb(34, 12))
        t:add(g.key_check, tvb(46, 4))
    end
    local crc_at = header - 4
    local sent = tvb(crc_at, 4):uint()
    local computed = crc_final(crc_update(0xFFFFFFFF, tvb(0, crc_at):bytes()))
    local crc_item = t:add(g.crc, tvb(crc_at, 4))
    if computed == sent then
        crc_item:append_text(" [correct]")
        t:add(g.crc_status, 1):set_generated()
    else
        crc_item:append_text(string.format(" [incorrect, should be 0x%08x]", computed))
        t:add(g.crc_status, 0):set_generated()
        crc_item:add_proto_expert_info(pe.crc_bad)
    end
    local compression = tvb(4, 1):uint()
    local original = tvb(6, 4):uint()
    local body_length = tvb(10, 4):uint()
    t:append_text(string.format(", %s, %s, %s, %d B", content_types[tvb(3, 1):uint()] or "?",
                                compressions[compression] or "?", ciphers[cipher] or "?", original))
    if len < header + body_length then
        t:add_proto_expert_info(pe.short)
        body_length = len - header
    end
    local body = tvb(header, body_length)
    if cipher ~= 0 then
        local name = ciphers[cipher] or string.format("cipher %d", cipher)
        local text = "encrypted (" .. name .. "), key needed"
        if body_length >= 16 then
            t:add(g.ciphertext, tvb(header, body_length - 16))
            t:add(g.tag, tvb(header + body_length - 16, 16))
        else
            t:add(g.body, body)
        end
        t:add(g.encrypted, body, text):add_proto_expert_info(pe.encrypted, "Content " .. text)
        pinfo.cols.info:append(" [P6 " .. text .. "]")
        return
    end
    local content = body:tvb()
    if compression == 1 then
        t:add(g.body, body):append_text(" (deflated)")
        local inflated = body:uncompress("P6 inflated content")
        if inflated == nil then
            t:add_proto_expert_info(pe.inflate)
            return
        end
        content = inflated
        t:add(g.inflated_length, content:len()):set_generated()
    end
    if content:len() ~= original then t:add_proto_expert_info(pe.length) end
    -- The content is the whole HTTP message: Wireshark's own dissector takes it from here.
    -- The fence keeps the S5 summary in the Info column; HTTP writes after it.
    pinfo.cols.info:append(" | ")
    pinfo.cols.info:fence()
    local copy = content:range():bytes():tvb("HTTP message")
    http:call(copy, pinfo, tree)
end

-- ---------------------------------------------------------------------------------------------
-- Layer 5: one SPDU

local function spdu_length(tvb, pinfo, offset)
    local available = tvb:len() - offset
    if available >= 3 and (tvb(offset, 2):uint() ~= SPDU_MAGIC or tvb(offset + 2, 1):uint() ~= 1) then
        return available   -- not an SPDU: take the rest and say so
    end
    return SPDU_HEADER + tvb(offset + 6, 2):uint()
end

local function dissect_spdu(tvb, pinfo, tree)
    local len = tvb:len()
    local t = tree:add(s5, tvb(), "SoundStack Session (S5)")
    if len < SPDU_HEADER or tvb(0, 2):uint() ~= SPDU_MAGIC or tvb(2, 1):uint() ~= 1 then
        t:add_proto_expert_info(e.not_spdu)
        note_info(pinfo, "S5 not an SPDU")
        return len
    end
    local kind = tvb(3, 1):uint()
    local payload_length = tvb(6, 2):uint()
    local sid = tvb(8, 8):bytes():tohex()
    local sequence = tvb(16, 4):uint()
    local total = tvb(24, 4):uint()
    t:add(f.magic, tvb(0, 2))
    t:add(f.version, tvb(2, 1))
    local type_item = t:add(f.type, tvb(3, 1))
    if spdu_types[kind] == nil then type_item:add_proto_expert_info(e.unknown_type) end
    local flags = t:add(f.flags, tvb(4, 1))
    flags:add(f.resent, tvb(4, 1))
    t:add(f.reserved, tvb(5, 1))
    t:add(f.length, tvb(6, 2))
    t:add(f.session, tvb(8, 8))
    t:add(f.sequence, tvb(16, 4))
    t:add(f.checkpoint, tvb(20, 4))
    t:add(f.total_units, tvb(24, 4))
    t:add(f.total_length, tvb(28, 4))
    t:add(f.interval, tvb(32, 2))
    t:add(f.recording, tvb(34, 2))

    local sent = tvb(36, 4):uint()
    local reg = crc_update(0xFFFFFFFF, tvb(0, 36):bytes())
    if payload_length > 0 then reg = crc_update(reg, tvb(SPDU_HEADER, payload_length):bytes()) end
    local computed = crc_final(reg)
    local good = computed == sent
    local crc_item = t:add(f.crc, tvb(36, 4))
    if good then
        crc_item:append_text(" [correct]")
        t:add(f.crc_status, 1):set_generated()
    else
        crc_item:append_text(string.format(" [incorrect, should be 0x%08x]", computed))
        t:add(f.crc_status, 0):set_generated()
        crc_item:add_proto_expert_info(e.crc_bad)
    end
    if payload_length > 0 then t:add(f.payload, tvb(SPDU_HEADER, payload_length)) end

    local name = spdu_types[kind] or string.format("type %d", kind)
    local summary = name
    if kind == DATA then
        summary = string.format("%s #%d %d B", name, sequence, payload_length)
    elseif kind == CHECKPOINT then
        summary = string.format("%s cp%d (units 0..<%d)", name, tvb(20, 4):uint(), sequence)
    elseif kind == CLOSE or kind == 1 then
        summary = string.format("%s %d units, %d B", name, total, tvb(28, 4):uint())
    end
    if not good then summary = summary .. " [CRC bad]" end
    t:append_text(string.format(", %s, session %s", summary, sid))
    note_info(pinfo, "S5 " .. summary)

    local key = session_key(pinfo, sid)
    local here = pinfo.number .. "/" .. sid .. "/" .. kind .. "/" .. sequence
    if not pinfo.visited and good then
        local s = sessions[key]
        if s == nil then
            s = { units = {}, frames = {}, count = 0, total = total, done = false }
            sessions[key] = s
        end
        if kind == DATA and s.units[sequence] == nil and sequence < total then
            s.units[sequence] = tvb(SPDU_HEADER, payload_length):bytes()
            s.frames[sequence] = pinfo.number
            s.count = s.count + 1
            if s.count == s.total and not s.done then
                s.done = true
                local bytes = ByteArray.new()
                local frames = {}
                for seq = 0, s.total - 1 do
                    bytes:append(s.units[seq])
                    frames[#frames + 1] = s.frames[seq]
                end
                messages[here] = { bytes = bytes, frames = frames }
            end
        elseif (kind == CHECKPOINT or kind == CLOSE) and payload_length == 4 then
            local n = kind == CLOSE and s.total or sequence
            local crc = units_crc(s, n)
            if crc ~= nil then verdicts[here] = { computed = crc } end
        end
    end

    if (kind == CHECKPOINT or kind == CLOSE) and payload_length == 4 then
        local item = t:add(f.content_crc, tvb(SPDU_HEADER, 4))
        local v = verdicts[here]
        if v == nil then
            item:append_text(" [units missing: unverified]")
            t:add(f.content_crc_status, 2):set_generated()
        elseif v.computed == tvb(SPDU_HEADER, 4):uint() then
            item:append_text(" [correct]")
            t:add(f.content_crc_status, 1):set_generated()
        else
            item:append_text(string.format(" [incorrect, should be 0x%08x]", v.computed))
            t:add(f.content_crc_status, 0):set_generated()
            item:add_proto_expert_info(e.content_crc_bad)
        end
    end

    local message = messages[here]
    if message ~= nil then
        local m = t:add(s5, tvb(), string.format("Message: %d DATA units, %d B", #message.frames,
                                                 message.bytes:len()))
        m:set_generated()
        m:add(f.message_units, #message.frames):set_generated()
        m:add(f.message_length, message.bytes:len()):set_generated()
        for _, frame in ipairs(message.frames) do m:add(f.unit_frame, frame):set_generated() end
        dissect_message(message, pinfo, tree)
    end
    return len
end

-- ---------------------------------------------------------------------------------------------
-- Registration: the TCP ports (other traffic on them goes to the dissector they had) and a heuristic

local previous = {}   -- port -> the dissector the port had before
local ports = {}      -- the ports this dissector is registered on

local function fallback(pinfo)
    return previous[pinfo.dst_port] or previous[pinfo.src_port]
end

local function looks_like_spdu(tvb)
    local len = tvb:len()
    if len < 1 or tvb(0, 1):uint() ~= 0x53 then return false end
    if len >= 2 and tvb(1, 1):uint() ~= 0x35 then return false end
    if len >= 3 and tvb(2, 1):uint() ~= 1 then return false end
    if len >= 4 and spdu_types[tvb(3, 1):uint()] == nil then return false end
    return true
end

function s5.dissector(tvb, pinfo, tree)
    if not looks_like_spdu(tvb) then
        local other = fallback(pinfo)
        if other ~= nil then
            -- Each dissector call lowers can_desegment by one: give the port's own dissector
            -- (HTTP for --plain captures) the reassembly it would have had as TCP's direct child.
            if pinfo.can_desegment > 0 then pinfo.can_desegment = pinfo.can_desegment + 1 end
            return other:call(tvb, pinfo, tree)
        end
        return 0
    end
    dissect_tcp_pdus(tvb, tree, 8, spdu_length, dissect_spdu, true)
    return tvb:len()
end

local function heuristic(tvb, pinfo, tree)
    if tvb:len() < 8 or not looks_like_spdu(tvb) then return false end
    pinfo.conversation = s5
    s5.dissector(tvb, pinfo, tree)
    return true
end
s5:register_heuristic("tcp", heuristic)

local tcp_port = DissectorTable.get("tcp.port")
local registered = nil

local function register_ports()
    for _, port in ipairs(ports) do
        tcp_port:remove(port, s5)
        if previous[port] ~= nil then tcp_port:add(port, previous[port]) end
    end
    previous, ports = {}, {}
    registered = s5.prefs.ports
    for low, high in string.gmatch(tostring(registered) .. ",", "(%d+)-?(%d*),") do
        local last = tonumber(high) or tonumber(low)
        for port = tonumber(low), last do
            previous[port] = tcp_port:get_dissector(port)
            ports[#ports + 1] = port
            tcp_port:add(port, s5)
        end
    end
end

function s5.prefs_changed()
    if tostring(registered) ~= tostring(s5.prefs.ports) then register_ports() end
end
register_ports()
