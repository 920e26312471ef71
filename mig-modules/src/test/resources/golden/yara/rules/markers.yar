rule marker_one
{
    strings:
        $a = "MIG_YARA_MARKER_ONE"
    condition:
        $a
}

rule marker_two : tagged
{
    meta:
        author = "mig tests"
    strings:
        $b = "MIG_YARA_MARKER_TWO" nocase
    condition:
        $b
}

rule elf_header
{
    strings:
        $elf = { 7F 45 4C 46 }
    condition:
        $elf at 0
}

rule both_markers
{
    condition:
        marker_one and marker_two
}
