# sass_mix.awk - static instruction counts per kernel from `cuobjdump -sass` (kernels/NOTES.md):
# one line a function, the opcodes named in OPS (a regex), e.g.
#   cuobjdump -sass -arch sm_90a X.so | awk -v OPS='^(HGMMA|UTMALDG)$' -f tests/gpu/sass_mix.awk
function flush(   i, s) {
    if (fn == "") return
    s = ""
    for (i in n) if (i ~ OPS) s = s " " i "=" n[i]
    print fn ":" s
    delete n
}
/Function :/ { flush(); fn = $NF; next }
/^[ \t]*\/\*[0-9a-f]+\*\// {
    sub(/^[ \t]*\/\*[0-9a-f]+\*\/[ \t]+/, "")
    sub(/^@!?U?P[0-9T][ \t]+/, "")
    split($0, w, /[ .;]/)
    n[w[1]]++
}
END { flush() }
