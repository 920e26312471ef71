rule twice { condition: true }
rule twice { condition: false }
