rule uses_nothing
{
    condition:
        $missing
}
