"""Common first names in Köln (German across generations, and the Turkish, Arabic, Polish,
Russian, Italian, Greek and English names frequent here), lower case. Used by the name mask
only where a name has no closing formula before it (a last line alone under a letter): there,
"Akute Verletzungsgefahr" or "Fahrtrichtung Innenstadt" must not pass for a signature."""

_NAMES = """
alexander andreas andré anton armin arne axel bastian ben benedikt benjamin bernd bernhard
björn bodo boris bruno carl carsten christian christoph christopher claus constantin daniel
david dennis detlef dieter dirk dominik egon elias emil erich erik ernst erwin eugen fabian
felix finn florian frank franz friedrich fritz georg gerd gerhard gregor günter günther gustav
hannes hans harald hartmut heiko heinrich heinz helmut henning henrik herbert hermann holger
horst hubert hugo ingo jakob jan jannik jens joachim jochen johann johannes jonas jonathan jörg
josef julian julius jürgen kai karl karsten kevin klaus konrad kurt lars leon leonard lennart
linus lothar louis luca lukas lutz malte manfred marc marcel marco marcus mario marius mark
markus martin matthias max maximilian michael mike moritz niklas nico nicolas niels nils noah
norbert olaf oliver oskar otto pascal patrick paul peter philipp rainer ralf ralph reiner
reinhard rené richard robert robin roland rolf rudolf rüdiger sascha sebastian siegfried simon
stefan steffen stephan sven thomas thorsten tim timo tobias tom torsten udo ulf ulrich uwe
volker walter werner wilhelm willi wolfgang yannick
agnes alexandra alina andrea angelika anja anke anna annette antje astrid barbara beate
bettina birgit brigitte britta carina carla carola caroline charlotte christa christiane
christina claudia clara cornelia dagmar daniela denise doris dorothea edith elena elfriede
elisabeth elke ella ellen emilia emily emma erika eva franziska frieda gabriele gerda gisela
greta gudrun hanna hannah heidi heike helga helene hildegard ilse ina ines inga inge ingrid
irene iris isabel jana janina jasmin jennifer jessica johanna julia juliane jutta karin
katharina kathrin katja katrin kerstin kirsten klara lara laura lea lena lina lisa luisa lydia
maike manuela mareike margarete maria marie marina marion marlene martha martina melanie
merle mia michaela miriam monika nadine nadja natalie nicole nina nora paula petra pia
regina renate rita rosemarie ruth sabine sabrina sandra sara sarah silke simone sofia sonja
sophia sophie stefanie stephanie susanne svenja tanja tatjana theresa ulrike ursula ute
vanessa vera verena viktoria waltraud wiebke yvonne
ahmet ali aylin ayşe ayse burak can cem deniz elif emine emre fatma hakan hasan hatice hülya
ibrahim kemal leyla mehmet melike murat mustafa osman selin serkan sevgi yasemin yusuf zeynep
ahmad amir fatima hassan hussein karim khalid layla mahmoud mariam mohammed mohamed muhammad
nour omar rania samir sara youssef
agnieszka anna barbara ewa jacek joanna kasia katarzyna krzysztof magdalena marek małgorzata
piotr tomasz wojciech
aleksandr alexej dmitri galina igor irina ljudmila natascha oksana olga sergej svetlana
tatiana viktor vladimir wladimir
alessandro andrea antonio francesca francesco giovanni giuseppe giulia luigi marco paolo
roberto salvatore
dimitrios georgios ioannis konstantinos maria nikolaos
chris david james john kate mary michael paul sarah tom
"""
FIRST_NAMES = frozenset(_NAMES.split())
