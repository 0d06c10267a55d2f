# sass_mix.awk - static instruction counts per kernel from `cuobjdump -sass` (kernels/NOTES.md):
# one line a function (those whose name matches FN, every one by default), the opcodes named in OPS
# (a regex), counted by base name, or by the whole opcode with its modifiers (LDS.128) for those
# FULL names, e.g.
#   cuobjdump -sass -arch sm_90a X.so | awk -v OPS='^(HGMMA|UTMALDG)$' -f tests/gpu/sass_mix.awk
function flush(   i, s) {
    s = ""
    for (i in n) s = s " " i "=" n[i]
    if (fn != "") print fn ":" s
    delete n
}
/Function :/ { flush(); fn = $NF ~ FN ? $NF : ""; next }
fn != "" && /^[ \t]*\/\*[0-9a-f]+\*\// {
    sub(/^[ \t]*\/\*[0-9a-f]+\*\/[ \t]+/, "")
    sub(/^@!?U?P[0-9T][ \t]+/, "")
    split($0, w, /[ ;]/)
    split(w[1], base, ".")
    if (base[1] ~ OPS) n[FULL != "" && base[1] ~ FULL ? w[1] : base[1]]++
}
END { flush() }
