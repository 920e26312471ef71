rule broken
{
    strings:
        $a = "x"
    condition:
        $a and
}
