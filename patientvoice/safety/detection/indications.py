"""What each directory medicine is taken for, as reaction concepts: a mention of one of
these next to the medicine is most likely the reason for taking it ("Alvedon mot
huvudvärk", "losec för halsbrännan"), not a side effect. General knowledge of each
medicine's main uses, grouped by use; a medicine may be in several groups. Unknown
slugs are simply not in the table (a test checks every slug here is in the directory).
"""

from __future__ import annotations

# What each medicine is taken for, as reaction concepts: a mention of one of these
# next to the medicine is most likely the reason for taking it. Grouped by use; a
# medicine may be in several groups.
_PAIN = "headache migraine back_pain joint_pain muscle_pain fever"
_MOOD = "depression low_mood"
_ANXIETY = "anxiety panic_attacks"
_SLEEP = "insomnia"
_ALLERGY = "itching hives allergic_reaction nasal_congestion rash"
_BREATHING = "shortness_of_breath wheezing cough"
_SUGAR = "high_blood_sugar excessive_thirst frequent_urination"
_HEART_RHYTHM = "palpitations fast_heart_rate irregular_heartbeat"
_INFECTION = "fever urinary_tract_infection sore_throat cough pneumonia frequent_infections"
INDICATION_GROUPS: tuple[tuple[str, str], ...] = (
    (
        _PAIN,
        """paracetamol ibuprofen acetylsalicylic-acid acetylsalicylic-acid-caffeine naproxen
        diclofenac ketoprofen meloxicam celecoxib etoricoxib tramadol codeine
        paracetamol-codeine morphine oxycodone oxycodone-naloxone buprenorphine fentanyl
        ketobemidone hydromorphone tapentadol""",
    ),
    ("tingling numbness back_pain anxiety", "pregabalin gabapentin"),
    (
        "migraine headache",
        """sumatriptan rizatriptan zolmitriptan eletriptan almotriptan naratriptan erenumab
        fremanezumab galcanezumab rimegepant botulinum-toxin-type-a topiramate""",
    ),
    ("seizures", "topiramate"),
    ("migraine anxiety tremor high_blood_pressure " + _HEART_RHYTHM, "propranolol"),
    (
        _SUGAR,
        """metformin glimepiride glipizide glibenclamide repaglinide sitagliptin
        sitagliptin-metformin linagliptin saxagliptin vildagliptin pioglitazone empagliflozin
        dapagliflozin canagliflozin empagliflozin-metformin dapagliflozin-metformin
        semaglutide liraglutide dulaglutide exenatide tirzepatide insulin-aspart
        insulin-lispro insulin-glulisine insulin-glargine insulin-detemir insulin-degludec
        insulin-degludec-liraglutide insulin-glargine-lixisenatide insulin-human""",
    ),
    (
        "weight_loss loss_of_appetite",
        "semaglutide liraglutide dulaglutide exenatide tirzepatide orlistat naltrexone-bupropion",
    ),
    ("low_blood_sugar", "glucagon"),
    (
        "high_blood_pressure",
        """enalapril ramipril lisinopril losartan losartan-hydrochlorothiazide candesartan
        candesartan-hydrochlorothiazide valsartan irbesartan telmisartan olmesartan
        amlodipine felodipine nifedipine lercanidipine verapamil diltiazem metoprolol
        bisoprolol atenolol carvedilol labetalol hydrochlorothiazide bendroflumethiazide
        amiloride-hydrochlorothiazide doxazosin moxonidine clonidine spironolactone""",
    ),
    (
        _HEART_RHYTHM,
        """metoprolol bisoprolol atenolol carvedilol sotalol verapamil diltiazem digoxin
        amiodarone dronedarone flecainide ivabradine""",
    ),
    ("swelling shortness_of_breath", "furosemide bumetanide sacubitril-valsartan"),
    ("chest_pain", "isosorbide-mononitrate glyceryl-trinitrate ranolazine"),
    (
        "blood_clot stroke heart_attack",
        """warfarin apixaban rivaroxaban dabigatran edoxaban dalteparin enoxaparin tinzaparin
        clopidogrel ticagrelor prasugrel acetylsalicylic-acid""",
    ),
    ("bleeding nosebleed menstrual_changes", "tranexamic-acid"),
    (
        _BREATHING,
        """salbutamol terbutaline formoterol salmeterol budesonide-formoterol
        fluticasone-salmeterol fluticasone-furoate-vilanterol beclometasone
        beclometasone-formoterol ciclesonide tiotropium tiotropium-olodaterol
        umeclidinium-vilanterol glycopyrronium indacaterol-glycopyrronium aclidinium
        aclidinium-formoterol fluticasone-furoate-umeclidinium-vilanterol
        beclometasone-formoterol-glycopyrronium budesonide-glycopyrronium-formoterol
        ipratropium montelukast roflumilast omalizumab mepolizumab benralizumab
        tezepelumab acetylcysteine bromhexine noscapine""",
    ),
    (
        _ALLERGY + " swelling",
        """prednisolone betamethasone dexamethasone hydrocortisone methylprednisolone
        triamcinolone budesonide fluticasone mometasone clobetasol""",
    ),
    (
        _ALLERGY + " dry_eyes",
        """cetirizine levocetirizine loratadine desloratadine fexofenadine ebastine bilastine
        clemastine hydroxyzine promethazine alimemazine azelastine azelastine-fluticasone
        levocabastine ketotifen sodium-cromoglicate olopatadine""",
    ),
    (_ANXIETY + " " + _SLEEP, "hydroxyzine promethazine alimemazine"),
    ("anaphylaxis allergic_reaction angioedema", "epinephrine"),
    ("nasal_congestion", "xylometazoline oxymetazoline"),
    (
        _INFECTION,
        """phenoxymethylpenicillin benzylpenicillin amoxicillin amoxicillin-clavulanic-acid
        flucloxacillin pivmecillinam cefalexin cefadroxil cefuroxime ceftriaxone cefotaxime
        ceftazidime doxycycline lymecycline tetracycline clarithromycin erythromycin
        azithromycin clindamycin ciprofloxacin levofloxacin moxifloxacin trimethoprim
        trimethoprim-sulfamethoxazole nitrofurantoin methenamine fosfomycin metronidazole
        vancomycin gentamicin meropenem piperacillin-tazobactam linezolid rifampicin""",
    ),
    ("acne", "doxycycline lymecycline tetracycline clindamycin"),
    ("mouth_ulcers shingles", "aciclovir valaciclovir penciclovir"),
    ("fever flu_like_symptoms", "oseltamivir nirmatrelvir-ritonavir"),
    ("thrush itching", "fluconazole clotrimazole miconazole nystatin econazole"),
    (
        _MOOD + " " + _ANXIETY,
        """sertraline citalopram escitalopram fluoxetine paroxetine fluvoxamine venlafaxine
        duloxetine vortioxetine clomipramine""",
    ),
    (
        _MOOD,
        """mirtazapine bupropion agomelatine amitriptyline nortriptyline mianserin
        moclobemide esketamine quetiapine lithium lamotrigine""",
    ),
    (_SLEEP, "mirtazapine amitriptyline mianserin agomelatine quetiapine levomepromazine"),
    ("tingling numbness back_pain headache", "amitriptyline nortriptyline duloxetine"),
    ("mania mood_swings", "lithium valproic-acid lamotrigine quetiapine olanzapine"),
    (
        _ANXIETY + " " + _SLEEP + " restlessness agitation",
        "oxazepam diazepam alprazolam lorazepam clonazepam",
    ),
    (
        _SLEEP,
        "zopiclone zolpidem nitrazepam propiomazine melatonin daridorexant",
    ),
    (
        "psychosis hallucinations mania agitation aggression",
        """quetiapine olanzapine risperidone paliperidone aripiprazole haloperidol clozapine
        ziprasidone lurasidone cariprazine brexpiprazole levomepromazine flupentixol
        zuclopenthixol perphenazine chlorprothixene""",
    ),
    (
        "concentration_problems restlessness impulse_control",
        """methylphenidate lisdexamfetamine dexamfetamine amfetamine atomoxetine
        guanfacine""",
    ),
    ("drowsiness fatigue", "modafinil"),
    (
        "withdrawal_symptoms dependence overdose",
        """disulfiram acamprosate naltrexone nalmefene naloxone varenicline nicotine
        buprenorphine buprenorphine-naloxone methadone""",
    ),
    (
        "seizures",
        """lamotrigine valproic-acid carbamazepine oxcarbazepine eslicarbazepine
        levetiracetam brivaracetam zonisamide lacosamide phenytoin ethosuximide clobazam
        perampanel cenobamate cannabidiol vigabatrin midazolam clonazepam diazepam""",
    ),
    ("muscle_stiffness muscle_cramps", "baclofen tizanidine diazepam"),
    (
        "tremor muscle_stiffness",
        """levodopa-carbidopa levodopa-benserazide levodopa-carbidopa-entacapone pramipexole
        ropinirole rotigotine rasagiline selegiline safinamide entacapone opicapone
        apomorphine""",
    ),
    ("restless_legs", "pramipexole ropinirole rotigotine"),
    ("memory_problems confusion", "donepezil galantamine rivastigmine memantine lecanemab"),
    ("palpitations fast_heart_rate", "thiamazole propylthiouracil"),
    (
        "heartburn stomach_pain stomach_upset",
        "omeprazole esomeprazole pantoprazole lansoprazole rabeprazole ranitidine famotidine",
    ),
    ("diarrhoea", "loperamide"),
    (
        "nausea vomiting",
        "metoclopramide ondansetron aprepitant meclozine scopolamine",
    ),
    ("stomach_pain bloating", "butylscopolamine simeticone"),
    ("flatulence", "simeticone"),
    (
        "constipation bloating",
        "lactulose macrogol sodium-picosulfate bisacodyl linaclotide prucalopride",
    ),
    (
        "diarrhoea stomach_pain",
        """mesalazine sulfasalazine azathioprine mercaptopurine budesonide vedolizumab
        infliximab adalimumab ustekinumab pancreatin""",
    ),
    ("gallstones itching liver_problems", "ursodeoxycholic-acid"),
    (
        "joint_pain muscle_stiffness",
        """methotrexate hydroxychloroquine leflunomide adalimumab infliximab etanercept
        golimumab certolizumab-pegol tocilizumab sarilumab abatacept rituximab anakinra
        secukinumab ixekizumab bimekizumab ustekinumab guselkumab risankizumab apremilast
        tofacitinib upadacitinib baricitinib filgotinib allopurinol febuxostat colchicine""",
    ),
    ("fatigue", "ferrous-sulfate ferric-carboxymaltose cyanocobalamin"),
    (
        "acne",
        """isotretinoin tretinoin adapalene adapalene-benzoyl-peroxide benzoyl-peroxide
        clindamycin-benzoyl-peroxide azelaic-acid""",
    ),
    (
        "rash itching dry_skin",
        """pimecrolimus tacrolimus dupilumab tralokinumab lebrikizumab abrocitinib
        calcipotriol calcipotriol-betamethasone urea""",
    ),
    ("facial_flushing", "brimonidine"),
    ("hair_loss", "minoxidil finasteride"),
    (
        "frequent_urination urinary_retention incontinence",
        """tamsulosin alfuzosin dutasteride dutasteride-tamsulosin finasteride tolterodine
        solifenacin fesoterodine oxybutynin mirabegron desmopressin""",
    ),
    (
        "erectile_dysfunction sexual_dysfunction",
        "sildenafil tadalafil vardenafil avanafil alprostadil",
    ),
    ("blurred_vision vision_loss", "aflibercept ranibizumab faricimab"),
    (
        "unintended_pregnancy menstrual_changes",
        """levonorgestrel ulipristal ethinylestradiol-levonorgestrel
        ethinylestradiol-desogestrel ethinylestradiol-drospirenone
        ethinylestradiol-norgestimate estradiol-nomegestrol estradiol-dienogest
        ethinylestradiol-etonogestrel ethinylestradiol-norelgestromin desogestrel
        drospirenone etonogestrel medroxyprogesterone norethisterone dienogest""",
    ),
    (
        "hot_flushes sweating vaginal_dryness",
        "estradiol estriol estradiol-norethisterone",
    ),
)


def indications_by_medicine() -> dict[str, frozenset[str]]:
    """Reaction concepts each medicine slug is taken for."""
    found: dict[str, set[str]] = {}
    for concepts, slugs in INDICATION_GROUPS:
        for slug in slugs.split():
            found.setdefault(slug, set()).update(concepts.split())
    return {slug: frozenset(concepts) for slug, concepts in found.items()}
