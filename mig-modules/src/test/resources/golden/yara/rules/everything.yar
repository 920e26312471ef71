rule always { condition: true }
rule small { condition: filesize < 40 }
